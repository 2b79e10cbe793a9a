"""Same-need weights fitted on 482 dev pairs of tests/data (those no rule
decides) by `callq train-needs`: do not edit by hand, train again."""

from callq.waiting.pair_model import PairWeights

PAIR_WEIGHTS = PairWeights(
    -2.17315946831053,
    {
        'copes': 2.2187461020936796,
        'asks': 0.0,
        'toll': 0.550325507390336,
        'wishes': -1.1028389043718947,
        'ratio': 0.30809566582503917,
        'shared': 0.5970022206517863,
        'concepts': -0.17765490808204085,
        'any_shared': -0.004836763036752473,
        'subject_first': -0.12334210465480223,
        'subject_second': 0.56947869857252,
        'new_subjects': -0.7638869752354086,
        'second_unrated': -0.28734216634476895,
        'not_happening': 0.3271509911494168,
        'tier_first': -0.21655860703565508,
        'tier_second': -0.3762643921872312,
        'digits': 1.1774238284509162,
        'affected': 0.9602561752323845,
        'again': -1.5543295997378448,
        'caller_words': -0.08496823642428816,
        'consequence': 2.3967495156659018,
    },
)
