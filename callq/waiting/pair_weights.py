"""Same-need weights fitted on 507 dev pairs of tests/data (those no rule
decides) by `callq train-needs`: do not edit by hand, train again."""

from callq.waiting.pair_model import PairWeights

PAIR_WEIGHTS = PairWeights(
    -2.119940418990329,
    {
        'copes': 2.205328504406214,
        'asks': 0.0,
        'toll': 0.5206901315042607,
        'wishes': -1.195960270938267,
        'ratio': 0.31173019791420814,
        'shared': 0.6052212514120863,
        'concepts': -0.17148186568724633,
        'any_shared': -0.02980987383544808,
        'subject_first': -0.14045964436816438,
        'subject_second': 0.5759617919522916,
        'new_subjects': -0.8103343554258765,
        'second_unrated': -0.29227561666906854,
        'not_happening': 0.18435098432590266,
        'tier_first': -0.1684880528225946,
        'tier_second': -0.3707906131400934,
        'digits': 1.1306472027704935,
        'affected': 1.0534604245955514,
        'again': -1.4289942942886629,
        'caller_words': -0.03333452562004667,
        'consequence': 2.3564230788393403,
    },
)
