"""Same-need weights fitted on 398 dev pairs of tests/data (those no rule
decides) by `callq train-needs`: do not edit by hand, train again."""

from callq.waiting.pair_model import PairWeights

PAIR_WEIGHTS = PairWeights(
    -1.8976461147011154,
    {
        'copes': 2.146751200927953,
        'asks': 0.0,
        'toll': 0.8043397449266974,
        'wishes': -0.9670988187742923,
        'ratio': 0.40151373550101915,
        'shared': 0.6741270345997613,
        'concepts': -0.249913478944514,
        'any_shared': 0.02644432642688835,
        'subject_first': -0.14822790264519928,
        'subject_second': 0.5019488857735512,
        'new_subjects': -0.771001004376155,
        'second_unrated': -0.5807087052603702,
        'not_happening': 0.16994151691751536,
        'tier_first': -0.29636497982401766,
        'tier_second': -0.36172655225402617,
        'digits': 0.8982602808300022,
        'affected': 1.019435710126156,
        'again': -1.097574471934816,
        'caller_words': 0.009644739288974602,
        'consequence': 2.262703225267284,
    },
)
