"""Same-need weights fitted on 383 dev pairs of tests/data (those no rule
decides) by `callq train-needs`: do not edit by hand, train again."""

from callq.waiting.pair_model import PairWeights

PAIR_WEIGHTS = PairWeights(
    -1.6644595300131524,
    {
        'copes': 1.8166363441620785,
        'asks': 0.0,
        'toll': 0.8770841418486707,
        'wishes': -0.94107475614074,
        'ratio': 0.43742507032144273,
        'shared': 0.6649420752404411,
        'concepts': -0.4073803301540865,
        'any_shared': -0.017962132565651177,
        'subject_first': -0.1588006326205354,
        'subject_second': 0.507184057272799,
        'new_subjects': -0.733413178636181,
        'second_unrated': -0.4764288900954585,
        'not_happening': -0.002564142895302834,
        'tier_first': -0.2663674672239836,
        'tier_second': -0.3691456452621256,
        'digits': 0.7148338548050109,
        'affected': 1.103908119253246,
        'again': -1.1194210000161653,
        'caller_words': 0.07918965410966498,
    },
)
