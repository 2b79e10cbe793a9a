"""Same-need weights fitted on 380 dev pairs of tests/data (those no rule
decides) by `callq train-needs`: do not edit by hand, train again."""

from callq.waiting.pair_model import PairWeights

PAIR_WEIGHTS = PairWeights(
    -1.526442313960466,
    {
        'copes': 2.0418894808630568,
        'asks': 0.0,
        'toll': 0.8508095987200329,
        'wishes': -0.9732837232995458,
        'ratio': 0.4786542396568976,
        'shared': 0.6625182564794031,
        'concepts': -0.49476419461892107,
        'any_shared': 0.09773067984512818,
        'subject_first': -0.16658809752848794,
        'subject_second': 0.5019470216999995,
        'new_subjects': -0.7453075242488861,
        'second_unrated': -0.5150902224569477,
        'not_happening': -0.06771772150344334,
        'tier_first': -0.2576246371168198,
        'tier_second': -0.3904288175929672,
        'digits': 0.7685603585327084,
        'affected': 1.1362173244724474,
        'again': -1.05760866371696,
        'caller_words': 0.04333264555562842,
    },
)
