"""Same-need weights fitted on 507 dev pairs of tests/data (those no rule
decides) by `callq train-needs`: do not edit by hand, train again."""

from callq.waiting.pair_model import PairWeights

PAIR_WEIGHTS = PairWeights(
    -2.2024589551934546,
    {
        'copes': 2.2055592522489014,
        'asks': 0.0,
        'toll': 0.532058274094316,
        'wishes': -1.1875230386572662,
        'ratio': 0.30911725652825567,
        'shared': 0.5994139746184978,
        'concepts': -0.18037065118578682,
        'any_shared': -0.02027069317769966,
        'subject_first': -0.13934758831961572,
        'subject_second': 0.5757352369174167,
        'new_subjects': -0.8085379463593245,
        'second_unrated': -0.1899984511222158,
        'not_happening': 0.20078620880987152,
        'tier_first': -0.16501896749714334,
        'tier_second': -0.31356714630752286,
        'digits': 1.117196883554942,
        'affected': 1.0647118940984324,
        'again': -1.428343165930332,
        'caller_words': -0.029826390875803327,
        'consequence': 2.3535187669951294,
    },
)
