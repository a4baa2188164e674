"""Pure calendar reading: an .ics file in, dated runs and races in the runner's zone out.

`read_calendar` expands and classifies; `classify` reads one title; `plan_inputs` turns what was
read into the planner's input (dated run days) and the goal race.
"""

from bot.core.calendar.classify import Reading, classify, race_distance
from bot.core.calendar.inputs import CalendarPlanInput, goal_words, plan_inputs
from bot.core.calendar.reader import CalendarRuns, Race, read_calendar

__all__ = [
    "CalendarPlanInput",
    "CalendarRuns",
    "Race",
    "Reading",
    "classify",
    "goal_words",
    "plan_inputs",
    "race_distance",
    "read_calendar",
]
