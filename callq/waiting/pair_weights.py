"""Same-need weights fitted on 652 dev pairs of tests/data (those no rule
decides) by `callq train-needs`: do not edit by hand, train again."""

from callq.waiting.pair_model import PairWeights

PAIR_WEIGHTS = PairWeights(
    -1.9969922312049835,
    {
        'copes': 2.409363305184799,
        'asks': 0.7952713646348872,
        'toll': 0.587552301685794,
        'wishes': -0.6429997341513313,
        'ratio': 0.4746093703616699,
        'shared': -0.2208121594449334,
        'concepts': 0.10103882444541878,
        'any_shared': 0.1510268395385568,
        'subject_first': -0.19567953769630625,
        'subject_second': 0.6289630499979144,
        'new_subjects': -0.8461826929190059,
        'second_unrated': -0.2597755749763848,
        'not_happening': 0.40875150681783634,
        'tier_first': -0.2007104213150904,
        'tier_second': -0.3143719651064271,
        'digits': 0.9718208783987093,
        'affected': 1.212868038275338,
        'again': -1.1324062630665859,
        'caller_words': -0.24895078097177434,
        'consequence': 2.231791850829991,
    },
)
