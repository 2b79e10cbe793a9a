"""Same-need weights fitted on 488 dev pairs of tests/data (those no rule
decides) by `callq train-needs`: do not edit by hand, train again."""

from callq.waiting.pair_model import PairWeights

PAIR_WEIGHTS = PairWeights(
    -2.163691545691994,
    {
        'copes': 2.2336640716955145,
        'asks': 0.0,
        'toll': 0.5295756508234348,
        'wishes': -1.2010369221121433,
        'ratio': 0.32669402737720965,
        'shared': 0.6296753114981308,
        'concepts': -0.20740902701370928,
        'any_shared': -0.07172382878404736,
        'subject_first': -0.12233261961691078,
        'subject_second': 0.5761690414043303,
        'new_subjects': -0.7593521587092651,
        'second_unrated': -0.21814172796394732,
        'not_happening': 0.292452565931831,
        'tier_first': -0.24081896865636726,
        'tier_second': -0.36358026461893933,
        'digits': 1.1912225617148104,
        'affected': 0.9566712670175651,
        'again': -1.5660096906056509,
        'caller_words': -0.11092900825763909,
        'consequence': 2.3395689874923677,
    },
)
