"""`python -m etl demo`: realistic demo submissions, loaded like any other file.

build (plan, write and load the demo: `run_demo`), geo (provinces, communes),
kinds and profiles / profiles_social (how each indicator behaves), clock
(months, seasons, shocks), series / values (the numbers), targets (annual
targets), files (which files, when), write (file formats, corrections, the bad
file); scale: `python -m etl demo --scale national`, the real system's size.
"""

from etl.demo.build import DemoBatches, DemoPlan, plan_demo, run_demo, write_demo

__all__ = ["DemoBatches", "DemoPlan", "plan_demo", "run_demo", "write_demo"]
