"""Same-need weights fitted on 322 dev pairs of tests/data (those no rule
decides) by `callq train-needs`: do not edit by hand, train again."""

from callq.waiting.pair_model import PairWeights

PAIR_WEIGHTS = PairWeights(
    -1.5201449841177221,
    {
        'copes': 1.783193565076989,
        'asks': 0.0,
        'toll': 0.697561879042521,
        'wishes': -0.9831773767010539,
        'ratio': 0.4567882143976757,
        'shared': 0.7867846312499719,
        'concepts': -0.2997502138102222,
        'any_shared': -0.08879354073758133,
        'subject_first': -0.21578772374672905,
        'subject_second': 0.5213568905796085,
        'new_subjects': -0.6488284991581991,
        'second_unrated': -0.5458855922122255,
        'not_happening': -0.30229174169278733,
        'tier_first': -0.08629306701006391,
        'tier_second': -0.5216176036893697,
        'digits': 0.9290401679396347,
        'affected': 0.7647541902803252,
        'again': -0.9414392111193431,
        'caller_words': 0.09270908097476786,
    },
)
