"""Same-need weights fitted on 652 dev pairs of tests/data (those no rule
decides) by `callq train-needs`: do not edit by hand, train again."""

from callq.waiting.pair_model import PairWeights

PAIR_WEIGHTS = PairWeights(
    -2.011197403375768,
    {
        'copes': 2.4123962383866675,
        'asks': 0.7956561870565703,
        'toll': 0.5974678014951909,
        'wishes': -0.6380145396277819,
        'ratio': 0.472976127831714,
        'shared': -0.21899496978164337,
        'concepts': 0.10004159064209113,
        'any_shared': 0.15409759479036106,
        'subject_first': -0.19614836631451116,
        'subject_second': 0.628329727455155,
        'new_subjects': -0.8440346191269165,
        'second_unrated': -0.23892971614197997,
        'not_happening': 0.4135867296727841,
        'tier_first': -0.20038437009091953,
        'tier_second': -0.3054684277027741,
        'digits': 0.9666678951081281,
        'affected': 1.214807334286244,
        'again': -1.1355881492839848,
        'caller_words': -0.24911265783493464,
        'consequence': 2.2332848145453474,
    },
)
