"""The reports for administrators (R5-R16): figures of any period, tables, charts, CSV."""
