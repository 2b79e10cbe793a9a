"""Same-need weights fitted on 392 dev pairs of tests/data (those no rule
decides) by `callq train-needs`: do not edit by hand, train again."""

from callq.waiting.pair_model import PairWeights

PAIR_WEIGHTS = PairWeights(
    -1.4130509611861461,
    {
        'copes': 1.7799632137389594,
        'asks': 0.0,
        'toll': 0.7863923915718454,
        'wishes': -0.9761852695322826,
        'ratio': 0.4141552382907556,
        'shared': 0.6280422131833617,
        'concepts': -0.34503148646659365,
        'any_shared': -0.05808521832169276,
        'subject_first': -0.151802841206493,
        'subject_second': 0.5008054039287532,
        'new_subjects': -0.742227582918089,
        'second_unrated': -0.5263130999579988,
        'not_happening': -0.11625113954433072,
        'tier_first': -0.2607653021256578,
        'tier_second': -0.39666317027177705,
        'digits': 0.8529756035356341,
        'affected': 1.002462457072458,
        'again': -1.130673253575032,
        'caller_words': 0.05850725908427871,
    },
)
