"""Same-need weights fitted on 380 dev pairs of tests/data (those no rule
decides) by `callq train-needs`: do not edit by hand, train again."""

from callq.waiting.pair_model import PairWeights

PAIR_WEIGHTS = PairWeights(
    -1.7845377124248027,
    {
        'copes': 2.1426059315198547,
        'asks': 0.0,
        'toll': 0.9676599912102755,
        'wishes': -0.8169748648592586,
        'ratio': 0.46055517116940703,
        'shared': 0.6686963534860288,
        'concepts': -0.4484751053725908,
        'any_shared': 0.16486246380946842,
        'subject_first': -0.1654355643650418,
        'subject_second': 0.4973700763355209,
        'new_subjects': -0.7720763171776066,
        'second_unrated': -0.37942598075373773,
        'not_happening': -0.0026490449970376804,
        'tier_first': -0.29532728484784115,
        'tier_second': -0.29981449739237626,
        'digits': 0.7487223231716572,
        'affected': 0.9276191820192622,
        'again': -1.090724965512511,
        'caller_words': 0.06223441312005277,
        'consequence': 2.3273443343828837,
    },
)
