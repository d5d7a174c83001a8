"""The scoring service and its core.

The core's pure-Python modules (`compiled.MODULES`) may run compiled by mypyc: when a build
of the sources exactly as they are now exists in the cache (`hiring-pipeline compile` makes
one; scripts/bootstrap.sh runs it), it goes first on this package's path, so those modules
load from it and everything else from here. Builds are keyed by a hash of the sources, never
left beside them, so an edited source is never shadowed by stale compiled code: it loads as
plain Python until the next `hiring-pipeline compile`. `HIRING_PIPELINE_COMPILED=0` turns
the compiled modules off.
"""

from services.scoring.compiled import activate

activate(__path__)
