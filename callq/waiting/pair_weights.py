"""Same-need weights fitted on 412 dev pairs of tests/data (those no rule
decides) by `callq train-needs`: do not edit by hand, train again."""

from callq.waiting.pair_model import PairWeights

PAIR_WEIGHTS = PairWeights(
    -1.3634756908846937,
    {
        'copes': 1.6506907851524935,
        'asks': 0.0,
        'toll': 0.7289196553937942,
        'wishes': -1.1191520409323854,
        'ratio': 0.40086069477106434,
        'shared': 0.6269691233376911,
        'concepts': -0.30215584717662475,
        'any_shared': 0.024201222136755324,
        'subject_first': -0.18124039619713758,
        'subject_second': 0.515374719546261,
        'new_subjects': -0.6412369835555658,
        'second_unrated': -0.6533378800948629,
        'not_happening': -0.10299003748836412,
        'tier_first': -0.24572673985302362,
        'tier_second': -0.4848624262372547,
        'digits': 0.9607060400910596,
        'affected': 0.8323705813084047,
        'again': -1.043348555745119,
        'caller_words': 0.03340139782816642,
    },
)
