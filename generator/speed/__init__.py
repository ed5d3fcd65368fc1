"""What only exists to make a run fast: helper processes and when to use them.

Nothing here changes a byte of the output (tests compare runs with one, two and three
processes). :mod:`.lanes` schedules independent work on forked helpers or inline;
:mod:`.forked` is the dedicated helper that runs datamodel-code-generator, forked by the
executable before its own imports (:func:`.lanes.head_start`); :mod:`.schedule` lets the
pipeline run the validator beside the other stages and still report its finding first;
:mod:`.gcpause` pauses the garbage collector around work that builds large object graphs.
"""
