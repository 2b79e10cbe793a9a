"""Same-need weights fitted on 621 dev pairs of tests/data (those no rule
decides) by `callq train-needs`: do not edit by hand, train again."""

from callq.waiting.pair_model import PairWeights

PAIR_WEIGHTS = PairWeights(
    -2.301011639694361,
    {
        'copes': 2.3675948603944934,
        'asks': 0.40681671748657117,
        'toll': 0.6067029322876261,
        'wishes': -0.6948752032032233,
        'ratio': 0.46249219410478,
        'shared': -0.333383358329543,
        'concepts': 0.10873560306162817,
        'any_shared': 0.24408511165794186,
        'subject_first': -0.1423308934712138,
        'subject_second': 0.6164472192912427,
        'new_subjects': -0.789510345567526,
        'second_unrated': -0.2894518226763865,
        'not_happening': 0.4426190520287788,
        'tier_first': -0.11464333413947538,
        'tier_second': -0.3191607119961907,
        'digits': 0.9216225165856738,
        'affected': 1.3039633430535607,
        'again': -1.2321360851427998,
        'caller_words': -0.2322909624089391,
        'consequence': 2.302959330339321,
    },
)
