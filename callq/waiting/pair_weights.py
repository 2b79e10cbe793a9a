"""Same-need weights fitted on 417 dev pairs of tests/data (those no rule
decides) by `callq train-needs`: do not edit by hand, train again."""

from callq.waiting.pair_model import PairWeights

PAIR_WEIGHTS = PairWeights(
    -1.3110589716202914,
    {
        'copes': 1.4869177137983989,
        'asks': 0.0,
        'toll': 0.6845539111592197,
        'wishes': -1.2285331745037693,
        'ratio': 0.4981271124217532,
        'shared': 0.33216271242551487,
        'concepts': -0.16193151917115672,
        'any_shared': 0.21892885283012486,
        'subject_first': -0.17424112350471255,
        'subject_second': 0.4873721835641046,
        'new_subjects': -0.6005396629736867,
        'second_unrated': -0.6439341179525693,
        'not_happening': -0.03297325131713263,
        'tier_first': -0.266980768448299,
        'tier_second': -0.4865646889383565,
        'digits': 0.9267591100111637,
        'affected': 0.8197738534279752,
        'again': -1.0491276467600843,
        'caller_words': 0.04320181191239059,
    },
)
