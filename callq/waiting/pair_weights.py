"""Same-need weights fitted on 652 dev pairs of tests/data (those no rule
decides) by `callq train-needs`: do not edit by hand, train again."""

from callq.waiting.pair_model import PairWeights

PAIR_WEIGHTS = PairWeights(
    -2.011762870386646,
    {
        'copes': 2.4154530679798056,
        'asks': 0.7958584762496209,
        'toll': 0.5962916255648143,
        'wishes': -0.6389968674888271,
        'ratio': 0.47269055149195827,
        'shared': -0.2192745850730708,
        'concepts': 0.10016001373307426,
        'any_shared': 0.1541933390734918,
        'subject_first': -0.19619327033645897,
        'subject_second': 0.6283831325697352,
        'new_subjects': -0.8441681199981542,
        'second_unrated': -0.23831040368002768,
        'not_happening': 0.4133995810349511,
        'tier_first': -0.1992319674806359,
        'tier_second': -0.30553399644673424,
        'digits': 0.9663616667606703,
        'affected': 1.215575745824149,
        'again': -1.135770421828481,
        'caller_words': -0.2489292815881982,
        'consequence': 2.233099074404102,
    },
)
