"""Same-need weights fitted on 403 dev pairs of tests/data (those no rule
decides) by `callq train-needs`: do not edit by hand, train again."""

from callq.waiting.pair_model import PairWeights

PAIR_WEIGHTS = PairWeights(
    -1.792320804303627,
    {
        'copes': 2.118990856417115,
        'asks': 0.0,
        'toll': 0.910692858109993,
        'wishes': -0.9557086199553311,
        'ratio': 0.3841528509683756,
        'shared': 0.6620510359928292,
        'concepts': -0.2890859421551917,
        'any_shared': 0.020480787947406747,
        'subject_first': -0.15136495780828546,
        'subject_second': 0.5050125643177947,
        'new_subjects': -0.7830729075086611,
        'second_unrated': -0.565983968194004,
        'not_happening': 0.09702740104668883,
        'tier_first': -0.3348041231338763,
        'tier_second': -0.32300630704894484,
        'digits': 0.8445167960985543,
        'affected': 1.0286309477533446,
        'again': -1.0954753318678607,
        'caller_words': 0.013026626052042023,
        'consequence': 2.263520692549944,
    },
)
