"""Same-need weights fitted on 508 dev pairs of tests/data (those no rule
decides) by `callq train-needs`: do not edit by hand, train again."""

from callq.waiting.pair_model import PairWeights

PAIR_WEIGHTS = PairWeights(
    -2.1242222847884995,
    {
        'copes': 2.2158779415822867,
        'asks': 0.0,
        'toll': 0.49953681994697485,
        'wishes': -1.2370075045272846,
        'ratio': 0.32392934699400133,
        'shared': 0.5775830497825752,
        'concepts': -0.19656986891808956,
        'any_shared': 0.000586479781236168,
        'subject_first': -0.1403319315894923,
        'subject_second': 0.5753003902857546,
        'new_subjects': -0.8150874554686789,
        'second_unrated': -0.22817437254393122,
        'not_happening': 0.19369257533764364,
        'tier_first': -0.17434255391305944,
        'tier_second': -0.3538287504397944,
        'digits': 1.1447821118900636,
        'affected': 1.0378460746645732,
        'again': -1.4383172416983598,
        'caller_words': -0.032700714636907005,
        'consequence': 2.360714409846481,
    },
)
