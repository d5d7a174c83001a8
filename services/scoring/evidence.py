"""Reads interview notes the way a senior interviewer does: what the candidate showed,
what they failed at, what they needed help with, and what they would do that is unsafe.

Notes are read one *clause* at a time (`clauses.py`). In each clause the lexicon of the
competency (`schemas/data/signals/<competency>.toml`) finds topics (strong), poor
practices (weak) and red flags; the judgement lexicon (`signals/judgement.toml`) finds
words about the performance itself ("explained clearly", "name-dropped", "with a lot of
hints"). Then the context decides what each match means:

- A topic under a negation is evidence against the candidate ("could not explain a
  composite index"; "no idea about isolation levels, MVCC or locking" negates the whole
  list). A negation that belongs to the topic is not ("found the client had no timeout",
  "resources the caller can't see"), nor is "didn't just retry".
- A topic in a clause that says the candidate could not apply it, or got there only with
  hints, is no strength: knowing the word is not understanding it.
- A poor practice or red flag the candidate *rejects* ("would never", "rather than",
  "found ... and moved it to Vault", "... is a bad idea") is knowledge, not a flaw.

Every piece of evidence carries the words it rests on (`Signal.quote`), cut from the
original text: matching is case-insensitive on the original string, so no offset found
in a lowered copy can shift a quote ('İ'.lower() is two characters).

Pure and deterministic: the same notes and rubric always give the same evidence.
"""

from __future__ import annotations

import bisect
import itertools
import re
import re._constants as sre_constants  # the stdlib regex parser: used only to find literals
import re._parser as sre_parse
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal, NamedTuple

import ahocorasick

from schemas import wire
from schemas.events import READ_RED_FLAG, Signal
from schemas.rubric import Rubric, SignalRule, max_match_length
from schemas.scales import Competency
from services.scoring.asides import CUE as ASIDE_CUE
from services.scoring.asides import criteria_answered_no, hypothesis_sections, kept, retro_sections, without_opening
from services.scoring.clauses import Clause, as_read, cut_ellipses, cut_run_ons, fold_case, runs_on, split_clauses
from services.scoring.notes_model import NotesModel, Reading, load_model, tokenize, weigh
from services.scoring.regex_gate import gated
from services.scoring.scan import Scanner, scan_available

native: Any
try:
    import hiring_pipeline_native as native
except ImportError:  # pragma: no cover - the Python loop serves without it
    native = None

QUOTE_MAX_CHARS = 160
_FLAGS = re.IGNORECASE | re.ASCII
"""ASCII case folding: the lexicon's words are ASCII, and it is a third faster."""

# --- what a word in front of a match does to it ------------------------------------------

_NEGATION = gated(
    r"\b(not(?!\s{1,3}null\b)|never|no|none|nor|neither|without|unable|cannot|lacks?|lacked|lacking|unaware|unfamiliar|(unsure|uncertain)(?=\s{1,3}(where|how|what|when|whether|if|of|about|which|why|who)\b)|"
    r"barely|hardly|failed to|struggled( to| with)?|zero|nothing|little|"
    r"(do|does|did|is|was|were|are|has|have|had|could|would|should|wo|ca|must|need)(n[’']?t|\s+not))\b",
    _FLAGS,
)
_CHOICE = gated(
    r"\s*(\w{1,12}\s+)?(reach\w{0,3} for|go\w{0,3} (straight )?for|went for|trust\w{0,3}|rel(y|ies|ied) (on|upon)|default\w{0,3} to|"
    r"jump\w{0,3} (straight |right )?(to|into)|rush\w{0,3} (straight )?(to|into)|settle\w{0,3} for|pick\w{0,3}|choos\w{1,3}|chose|renam\w{1,3}|assum\w{1,3}|blindly|put\w{0,3}|"
    r"stor\w{1,3}|keep\w{0,3}|kept|commit\w{0,4}|log\w{0,4}|expos\w{1,3}|return\w{0,3}|hard-?cod\w{1,3}|accept\w{0,3}|"
    r"leak\w{0,3}|allow\w{0,3}|let\w{0,3}|break\w{0,3}|ship\w{0,3}|hold\w{0,3}|wrap\w{0,3}|share\w{0,3}|start\w{0,3} with|"
    r"need\w{0,3}|drop\w{0,4}|remov\w{1,3}|disabl\w{1,3}|skip\w{0,4}|turn\w{0,3} off|switch\w{0,3} off|bypass\w{0,3}|"
    r"ignor\w{1,3}|rip\w{0,4} out|comment\w{0,3} out)\b",
    _FLAGS,
)
_NEGATED_AFTER = gated(
    r"\W{0,3}(\w{1,20}\W{1,3}){0,3}((was|were|is|are|got|has been|have been|had|has|have)\s+(never|not|n[’']?t)|(isn|wasn|aren|weren)[’']?t|(hasn|haven)[’']?t\s+been)\s+"
    r"(\w{1,12}\s+)?(established|mentioned|discussed|considered|found|explained|covered|identified|used|done|in place|set up|there|familiar|known)\b"
    r"|\W{0,3}(\w{1,20}\W{1,3}){0,2}(he|she|they|the candidate)(['’]d|\s+had|\s+has|\s+have)?\s+(never|not)\s+(heard of|used|seen|touched|tried|uses?|touch(es)?|tries|try)\b(?![^.;]{0,40}\b(prefers?|instead|rather)\b)"  # "Explain plan he never use."
    r"|\W{0,3}(\w{1,20}\W{1,3}){0,6}(he|she|they|the candidate)\s+(did\s+not|didn[’']?t|could\s+not|couldn[’']?t)\s+(know|find|spot|see|name|explain)\s{0,2}([.,;:!?)\-–—]|$)"  # "Path traversal and open redirect he did not find."
    r"|\W{0,3}(\w{1,20}\W{1,3}){0,2}(was|were)\s+(new|news|unknown|foreign)\s+to\s+(him|her|them)\b"
    r"|[^\w,;]{0,3}(\w{1,20}[^\w,;]{1,3}){0,4}((all\s+|also\s+|each\s+)?drew|(was|were|is|are)\s+(also\s+)?|also\s+)a\s+(total\s+|complete\s+)?blank(?=\s{0,2}([.;:!?)\-–—]|$))"  # "covering index also a blank", "row lock / unique constraint / advisory lock all drew a blank"
    r"|[^\w,;]{0,3}(\w{1,20}[^\w,;]{1,3}){0,4}((did|had|has|does)\s+not|(didn|hadn|hasn|doesn)[’']?t|never)\s+(even\s+)?occur(red|s)?\s+to\s+(him|her|them|the\s+candidate)\s{0,2}([.,;:!?)\-–—]|$|(until|till|even)\b)"  # "ConcurrentHashMap/AtomicInteger didn't occur to them." (12 of 12 corpus notes so worded are weak)
    r"|\W{0,3}(\w{1,20}\W{1,3}){0,8}(was|were)\s+(raised|suggested|offered|proposed|brought\s+up)\s+by\s+(me|us|the\s+interviewer)\b(?!\s{1,3}(first|too|as\s+well)\b)[^.;]{0,20}\b(and\s+)?(waved|brushed|laughed)\s+(off|away|aside)\b"  # "ShedLock and a SKIP LOCKED claim were raised by me and waved off as overkill"
    r"|\W{0,3}(\w{1,20}\W{1,3}){0,5}(was|were|seemed|sounded)\s+(completely\s+|entirely\s+|totally\s+|quite\s+)?unfamiliar(\s+to\s+(him|her|them))?\s{0,2}([.,;:!?)\-–—]|$)"  # "worker_threads and a job queue were unfamiliar"
    r"|\W{0,3}(\w{1,20}\W{1,3}){0,3}(was|were|is|are)\s+(beyond|past|outside)\s+(him|her|them|what\s+(he|she|they)\s+(knew|knows|could))\b"  # "isolation levels and row locks were beyond what he knew"
    r"|\W{0,3}(\w{1,20}\W{1,3}){0,3}(never|not)\s+(even\s+)?(considered|mentioned|discussed|covered|raised|named|brought\s+up|addressed)(\s{1,3}(at\s{1,3}all|once|even\s{1,3}once|a\s{1,3}single\s{1,3}time))?\s{0,2}([.,;:!?)\-–—]|$)"  # "DB constraint or row lock not considered", "Versioning not raised at all."
    r"|\W{0,3}((?!(limits?|caps?|capacity|thresholds?|budgets?|ceilings?|max\w{0,6}|quotas?|targets?|peak)\b)\w{1,20}\W{1,3})?((him|her|them)sel(f|ves)\W{1,3})?(was\s+|were\s+)?(never|not)\s+(reached|arrived\s+at|attempted)\s{0,2}([.,;:!?)\-–—]|$)"  # "Covering index not reached.", "Atomic update himself not reached."
    r"|\W{0,3}(\w{1,20}\W{1,3}){0,10}(he|she|they|the candidate)\s+(did\s+not|didn[’']?t|had\s+not|hadn[’']?t|has\s+not|hasn[’']?t|never)\s+(consider(ed)?|mention(ed)?|raise[d]?|thought\s+of|think\s+of)\s{0,2}([.,;:!?)\-–—]|$)"  # "Row-level security, or to derive the tenant from the token, he did not consider"
    r"|\W{0,3}(\w{1,20}\W{1,3}){0,10}(never\s+(even\s+)?came|did\s+not\s+(even\s+)?come|didn[’']?t\s+(even\s+)?come)(\s+up)?\b(?!\s{1,3}(with|back|from|to|in|into|out|prepared|across|over|through|along|home|close)\b)"  # "Caching / ETag never came up even w/ prompt" (57 of 59 corpus notes saying so are weak)
    r"|(\s{0,3}(/|,|&|\+|\bor\b|\band\b)\s{0,3}@?[\w.\-]{1,25}){0,4}\s{1,3}(never|not)\s+heard(\s+(of|about))?(\s+(it|them))?\s{0,2}([.,;:!?)\-–—]|$)"  # "JOIN FETCH / @EntityGraph / batch_size never heard"
    r"|(\s{1,3}\w{1,20}){0,2}\s{0,3}(—|–|-{1,2}|:)\s{0,3}(nothing|none|no idea|zero|nil|blank)\s{0,2}([.,;!)]|$)"  # "Versioning strategy — nothing."
    r"|(\s{1,3}\w{1,20}){0,2}\s{0,3}(—|–|-{1,2}|:)\s{0,3}(not sure|unsure|not answered|no answer|(he\s|she\s|they\s)?(don.?t|doesn.?t|did\s?n.?t)\s{1,3}know)\b"
    r"(?!\s{1,3}(the\s{1,3})?(term|name|word|acronym|library)\b|[^.;]{0,40}\bbut\b|\s{1,3}(it['’]?s|it\s{1,3}is|if\s{1,3}it['’]?s|we)\s{1,3}(needed|necessary|worth|overkill|need))"  # "Timeout on RestTemplate - not sure if it is set."
    r"|\W{0,3}((was|were|got|gets|is|are|been)\s{1,3})?(dismissed|waved\s{1,3}(off|away|aside)|brushed\s{1,3}(off|aside)|written\s{1,3}off|pooh-?poohed|scoffed\s{1,3}at)\s{1,3}as\b"
    r"(?![^.;!?\n]{0,100}\b(instead|rather|in\s{1,3}favou?r|went\s{1,3}(for|with)|chose|picked|opted|preferred|switched|moved\s{1,3}to|used|uses|using)\b)",  # "Row-level security dismissed as 'too slow'"
    _FLAGS,
)
_MENTIONED = gated(
    r"\b(mention\w{0,3}|list\w{0,3}|nam(e|ed|es|ing)|cit\w{1,3}|quot\w{1,3}|brought up|threw out|throws? around|"
    r"dropp\w{1,3}|used (the |a )?(terms?|words?|acronyms?|buzzwords?)|said the (words?|terms?)|(knew|knows) the (terms?|words?|names?|acronyms?|buzzwords?|jargon|vocabulary|lingo)|"
    r"heard of|heard about|read about|familiar with the (terms?|names?)|recited|(talk|talks|talked|speaks|spoke) (\w{1,12} )?about(?!\s{1,3}(\w{1,20}\s{1,3}){0,3}?(in detail|properly|clearly|well|through|at length)\b|[^.;]{0,40}:)|referenced|referred to|"
    r"(says|said|knows|knew|went\s{1,3}through|ran\s{1,3}through)\s{1,3}(?!(ok(ay)?|so|well|first|then|right|yes|no|that|it)\b)([\w.\-/]{1,25}( [\w.\-/]{1,25})?,\s{1,3}){2,}"
    r"(?![^.;]{0,80}\b(picks?|picked|chose|chooses|uses|used|explained|showed|set (them |it |those )?up|designed|built|implemented|wired|configured|applied)\b)|"  # "Says Resilience4j, circuit breaker, bulkhead, rate limiter", "went through CAP, Raft, mutexes, ..."
    r"rattl\w{1,3} off|reel\w{0,3} off|rhym\w{1,3} off|in (one|a single|the same) (sentence|breath)|"
    r"(knew|knows) (that )?(\w{1,20} ){1,3}exist(s|ed)?|"
    r"(good|great|nice|solid|impressive|rich|strong|wide|broad) (vocabulary|terminology|jargon|buzzwords)"
    r"(?!\s{0,2},?\s{1,3}and\s{1,3}(the\s{1,3})?(depth|understanding|substance|practice|reasoning|experience)\b)|"  # "Good vocabulary: HATEOAS, ..."
    r"(?<!n't use the )(?<!not use the )(?<!n't use )(good|right|fancy|big|correct|nice)\s{1,3}words|"  # "Juniors would hear good words: SLOs, ..." (42 of 44 corpus notes so worded are weak)
    r"you['’]?ll hear|you will hear)\b",
    _FLAGS,
)
"""A topic introduced this way is a word the candidate said; whether they understood it is
for the rest of the note to show: when the note holds a gap, the word counts for nothing."""
_INSTEAD_AHEAD = gated(r"[^.!?\n]{0,120}\b(instead|rather than|in favou?r of)\b", _FLAGS)
_MODAL_CHOICE = gated(r"(wo|would|will|does|do|should)(n[’']?t|\s+not)\s+(just\s+)?(use|add|do|go|want|need)\b", _FLAGS)
""""wouldn't reach for a global lock", "never renames a field in place", "doesn't trust
the alg header": a deliberate choice, not a gap in knowledge. A topic denied this way is
no evidence either way; one denied by "could not explain" or "no idea about" is a gap."""
_NOT_NEEDED_AFTER = gated(
    r"(\s{0,3},\s{0,3}(no|nor|or)\s{1,3}[\w-]{1,15}(\s{1,3}[\w-]{1,15}){0,2})?"
    r"(\s{1,3}(debate|discussion|dance|step|layer|machinery|overhead|ceremony))?\s{0,3}((is|was|are|were|being)\s{1,3})?(needed|required|necessary|warranted)\b",
    _FLAGS,
)
""""No lock needed (since the unique index catches it)", "no distributed lock, no Redlock
debate needed": the candidate judged it needless."""
_NOT_EVERYWHERE_AFTER = gated(
    r"\s{0,3}(everything|every (\w{1,15})|all of (it|them)|blindly|by default|everywhere|across the board|"
    r"by reflex|reflexively|by habit|out of habit|automatically|for its own sake|for the sake of it|just because|"
    r"((anything|a thing|any of (it|them))\s{1,3})?until\s{1,3}(he|she|they|the candidate)(['’]d|\s{1,3}had|\s{1,3}has|\s{1,3}have)?\s{1,3}"
    r"(seen|measured|named|profiled|checked|looked at|confirmed|proved|proven|shown|found|benchmarked|tested|run|ran|read)|"
    r"(\w{1,15}\s{1,3}){0,3}until\s{1,3}(there\s{1,3}(was|is|were|are)|(he|she|they)\s{1,3}(had|has|have|saw|sees))\s{1,3}"
    r"(an?\s{1,3})?(measured|proven|real|demonstrated|actual|clear|profiled|observed|known))\b",
    _FLAGS,
)
""""Didn't denormalize everything", "doesn't cache by default", "didn't index anything until
he'd seen the plan", "wouldn't denormalize the aggregates until there was a measured problem":
a practice kept to where it pays, not one the candidate lacks."""
_NOT_A_NEGATION_AFTER = gated(
    r"\s*(just|only|merely|simply|even just|hesitat\w{0,4}|refus\w{1,4}|reject\w{0,4}|rul(e|es|ed|ing) out|sh(y|ies|ied) (away )?from|object\w{0,3} to|balk\w{0,3} at|(wave|waved|waving|brush|brushed|brushing|shrug|shrugged|shrugging|laugh|laughed)\s{1,2}(it\s{1,2}|them\s{1,2})?(away|off|aside)|dismiss\w{0,3}|hand-?wav\w{1,3}|gloss\w{0,3}\s{1,2}over|stop(ped)? (at|with|there)|(see|find|saw|found) (nothing|anything) (wrong|bad|risky|dangerous|problematic))\b"
    r"|\s{0,2}matters?\s{0,2}([,.;:!\-–—]|$)"
    r"|\s{0,2}(exceed|go\s{1,2}(below|over|above|negative)|be\s{1,2}(more|less|higher|lower)\s{1,2}than|drop\s{1,2}below|overlap|overdraw)\b[^.;]{0,40},"  # "total can't exceed what was captured, idempotency key": a rule, then the list
    r"|\s*(once\s{1,3}|ever\s{1,3})?(says?|said)\s{1,3}[\x27\x22‘“]\s{0,2}(just|simply|only)\b"  # "didn't say 'just add a lock'", "never once said 'just lock it'"
    r"|\s{0,2}(roll|write|invent|build|implement|design)\w{0,3}\s{1,2}(his|her|their|its|my|our|your)\s{1,2}own\b"
    r"|,?\s{0,2}(that['’]?s|thats|it['’]?s|its)\s{1,2}(just\s{1,2}|actually\s{1,2}|really\s{1,2}|simply\s{1,2})?($|(good|great|solid|fine|right|correct|sound|sensible|smart|wise|exactly)\b)",
    _FLAGS,
)
""""didn't just retry", "not only X", "didn't stop at parameterized queries": more than, not
less than; "did not see nothing wrong in keeping the transaction open": a double negative that
finds no fault; "didn't roll her own: argon2id via a library" used the library; "doesn't matter, strong" and "too cautious? but no, that's just good judgement":
a slip waved off and a doubt answered, not a negated verdict; "didn't refuse denormalization
either": a refusal denied, so the topic stands."""
_SOMETHING_ELSE_NEGATED = gated(
    r"\s*((at all |overly |too )?(dogmatic|religious|rigid|fanatical|zealous|purist|married to|hung up)|"
    r"(at all )?(against|opposed to)|(is |was |were )?(missing|lacking|absent|amiss|left out|overlooked|forgotten)|"
    r"(hear (him|her|them) )?(claim|insist|pretend)\w{0,2}|hand-?waving|guesswork|vagueness|fluff|bluffing|waffl\w{1,3}|jargon|"
    r"(short-?cuts?|compromises?|half-?measures?)(?!\s{1,3}(or|and)\s{1,3}trade-?offs|\s{1,3}(weighed|discussed|considered|mentioned))|corners?\s{1,3}(were\s{1,3}|was\s{1,3})?cut|cutting\s{1,3}corners|"
    r"(his|hers|theirs|yours|ours|mine|(his|her|their|your|our|my) own)(?!\s{0,2}\w)|"
    r"found|allowed|modified|implemented|acceptable|authori[sz]ed|permitted|"
    r"(real |obvious |major |big |glaring )?(gaps?|holes?|weak spots?|weaknesses|issues|problems|confusion|mix-?ups?)( (that )?(I|we) could (find|see|spot))?|"
    r"(problem|trouble|difficulty)\s{1,3}(for\s{1,3}(him|her|them)\s{1,3})?(to|explaining|describing|walking|spotting|naming)|"
    r"((secrets?|keys?|credentials?|creds|passwords?)\s{1,3})?((committed|checked)\s{1,3})?(in|into|to)\s{1,3}(the\s{1,3})?(git|repo|repository|source\s{1,3}control|source|codebase|image|dockerfile|\.env\s{1,3}files?)(?=\s{0,2}[,;]))\b",
    _FLAGS,
)
""""Not dogmatic about normalization", "not against denormalizing either", "nothing missing
in his on-call design", "no gaps I could find in input validation", "an application id that
isn't theirs, didn't want to confirm it exists": the negation is of the dogma, the objection,
the lack, the gap, the shortcut ("no shortcuts on least privilege") or whose a thing is, not
of the topic; "nothing in git, pre-commit secret scanning": what is kept out of git, then the next
item of a list of what they do."""
_REFUSED_BEFORE = gated(
    r"\b(would\s?n[’']?t|would\s+not|will\s+not|won[’']t|refus\w{1,3}\s+to|declin\w{1,3}\s+to)\s+(\w{1,12}\s+){0,2}?"
    r"(send|store|log|expose|return|put|keep|allow|let|hand|leak|echo|include|write)\b"
    r"(?![^.;]{0,80}\bwhen\s{1,3}(I|we)\s{1,3}(suggested|proposed|asked))[^.;]{0,80}$",
    _FLAGS,
)
"""Before a shrug: what the candidate refused to do ("she would not send it back in any API
response even to the sender app 'for convenience'"): the convenience is refused, not defended."""
_QUOTE_MARKS: Final = frozenset("'\"‘“")
"""The marks that open a quoted reason ("'for convenience'")."""
_NOT_SAID = gated(
    r"\b(did\s?n[’']?t|did\s+not|never|would\s?n[’']?t|would\s+not|does\s?n[’']?t|does\s+not)\s+(say|claim|argue|pretend|shrug\w{0,3})\b\W{0,4}([\x27\x22‘“][^\x27\x22’”]{0,30})?$",
    _FLAGS,
)
"""Just before a shrug in quotes: the candidate did not say it ("didn't say 'that won't happen'")."""
_BELIEF = gated(
    r"\s*(say|said|treat\w{0,2}|assum\w{1,3}|think|thought|believ\w{1,3}|buy|bought|sell|sold|call\w{0,3})\b", _FLAGS
)
_MYTH_AFTER = gated(
    r"[^.;!?\n]{0,40}\b(always|universally|exactly[- ]once|a silver bullet|free lunch|magic(al)?)\b", _FLAGS
)
""""Didn't say JWT always better", "did not treat the queue as exactly-once": what is denied
is a myth about the topic, which the candidate does not hold; no gap."""
_SCOPE_BREAKER = gated(
    r"\b(via|using|through|because|thanks to|instead|while|whereas|rather|so|then|which|that|and (then|so)|by|until|unless|when|if)\b"
    r"|\b(he|she|they)\s{1,3}(\w{2,14}ed|was|were|is|are|said|says|knew|knows|gave|made|did|does|got|saw|took|wrote|chose|built|ran)\b|\b(he|she|they)\s{1,3}$|:\s|[,;]\s{0,2}(just|only|simply|merely)\s",  # "no JS she was clear it's one event loop", "no string built sql, he raised...", "no Redis lock, just the row lock"
    _FLAGS,
)
_LIST_GLUE = gated(r",|/|\b(or|nor|and|about|of|on|with|what|how|the|a|an|any|even|basic|like|such as|e\.g)\b", _FLAGS)
_WORKED_OUT: Final = (
    r"(figured|worked) out (that|why|where|(the|its|their)\b(?!\s{1,3}([\w-]{1,15}\s{1,3})?"
    r"(way|ways|scheme|plan|trick|hack|workaround|fix|solution|shortcut)\b))"
)
"""A finding worked out ("She worked out the provider SDK client was built with no timeout"), not
a plan ("figured out he could just disable CSRF", "worked out a way to keep the JWT in
localStorage"): those are the candidate's own practice."""
_TOPIC_NEGATION_BEFORE = gated(
    r"\b(found|finds|noticed|notices|spotted|caught|realis\w{1,3}|realiz\w{1,3}|discovered|saw|showed|identified|"
    r"pointed out|"
    + _WORKED_OUT
    + r"|traced|diagnosed|debugged|proved)\b(?![^,;]{0,100}\band (he|she|they)\b)[^,;]{0,100}$"
    r"|\b(explained (why|that|how)|knew (why|that)|because|so that|(then |and )why|ensur\w{1,3}|make sure|guarantee\w{0,2}|so)\b[^,;]{0,60}$"
    r"|\b(callers?|clients?|consumers?|users?|attackers?|services?|servers?|apps?|code|endpoints?|systems?|quer(y|ies)|"
    r"requests?|tables?|db|database|team|it|there|jobs?|workers?|threads?|transactions?|process(es)?|pods?|"
    r"nodes?|replicas?|messages?|tokens?|sessions?|cookies?|fields?|api|apis|function|method|handler|library|"
    r"framework|service|driver|pool|orm|loop|caller|downstream|upstream|third[- ]party|vendor|one|ones)\s{1,3}"
    r"(\w{1,12}\s{1,3})?$",
    _FLAGS,
)
"""The negation belongs to the topic: a discovery ("found the client had no timeout") or a
subject other than the candidate ("the caller can't see", "requests that don't")."""

_REJECTION = gated(
    r"\b((thread|heap)\s{1,3}dumps?\s{1,3}showed|never|not(?!\s{1,3}null\b)|no|without|(do|does|did|is|was|were|are|has|have|had|could|would|should|wo|ca|must|need)(n[’']?t|\s+not)|"
    r"avoid\w{0,3}|rather than|rather( \w{1,15}){1,5} than|"
    r"rewr(ote|ites|itten|iting)|instead of|(is|was|are|were|firmly|strongly|set|always|[’']s) against|against (?=\w{2,20}ing\b)|warn(s|ed)?\b|warning\s{1,3}(against|that|about|of)\b|(?<!table )(?<!from )(?<!join )(?<!into )(?<!the )(?<!every )(?<!per )(?<!bus )(?<!tram )stop\w{0,4}(?!\s{1,3}((the|all|those|these|any)\s{1,3})?(\w{1,15}\s{1,3})?(deadlocks?|alerts?|alarms?|blocking|timeouts?|lock\s{1,3}waits?|errors?|pages?|paging|noise|contention|flapping|crash\w{0,2}|warnings?|complaints?|tickets?|retries|bleeding|outages?)\b)(?![,\s]{1,4}(he|she|they|we|i)\b)|replac\w{1,3}|moved? (it |them |that |this )?(away )?(from|off|out)|got rid of|removed?|"
    r"(breach|incident|outage|post-?mortem|war story|story) (where|when|in which|about)|"
    r"(killed|ended|stopped|banned|broke|kicked|dropped) (the |a |that |this |their |our )?(\w{1,12} )?(habit|practice|pattern|convention) of|"
    r"unless\s{1,3}(someone|somebody|anyone|a\s{1,3}dev\w{0,6}|developers?|people)|refus\w{1,3}|reject\w{0,3}|recogni[sz]ed|discovered|realis\w{1,3}|realiz\w{1,3}|traced|diagnosed|"
    + _WORKED_OUT
    + r"|redact\w{0,3}|mask\w{0,3}|scrub\w{0,3}|rotat\w{1,3}|revok\w{1,3}|before|"
    r"explain\w{0,3}|to (confirm|verify|prove)|(not\w{1,3}|point\w{0,3} out|knows?|knew|understood|understands|argu\w{1,3}|aware) that|(knows?|knew) (some|most|many|which|how|why)\b|push\w{0,3} back|argu\w{1,3} against|object\w{0,3} to|talked \w{1,10} out of|found|finding|noticed|noticing|spotted|spotting|picked up (on|that)|discovering|(?<!errors )(?<!error )(?<!exceptions )(?<!exception )caught(?!\s{0,3}(->|→|=>|\+|&)|\s{1,3}and\s{1,3}(logged|ignored|swallowed|retried|printed|dropped|discarded|re-?thrown)\b|,\s{0,2}(logged|ignored|swallowed)\b)|flagged|pointed out|called out|identified|audited|fixed|migrated|"
    r"saw(?!\s{1,3}(no|nothing|it|this|them|him|her)\b)(?!\s{1,3}that\s{1,3}(as|work\w{0,3})\b)|"
    r"(blocked|vetoed|rejected|sent back) (a |the |his |her |their |one )?(\w{1,12}.?s )?(pr|pull request|merge request|mr|code review|change|deploy\w{0,3}|release|migration|commit)\b|"
    r"anti-?pattern|bad idea|dangerous|risk\w{0,3}|mistake|(?<!go )(?<!goes )(?<!went )(?<!gone )(?<!is )(?<!are )(?<!was )(?<!were )(?<!nothing )(?<!anything )(?<!a )wrong|(?<!as a )(?<!not a )(?<!n't a )(?<!no )(?<!prod )(?<!production )(?<!live )(problem\w{0,1}|issues?)|((?<=prod )|(?<=production )|(?<=live ))(problem\w{0,1}|issues?)(?!\s{0,2}:)|pitfalls?|dangers? of|"
    r"why|explained (why|how)|knew (why|that)|understood (why|that)|aware (of|that)|cautioned|unlike|vs\.?|versus|"
    r"so (that )?(nobody|no one|no-one|no attacker|no client|no tenant|no caller)( can| could)?|"  # right before the practice
    r"prevent\w{0,3}|protect\w{0,3}|mitigat\w{1,3}|detect\w{0,3}|catch(es)?(?![- ]?alls?\b|\s{1,3}(blocks?|clauses?|statements?|handlers?)\b|\s{0,2}[({]|\s{1,3}\w{0,40}(exception|error|throwable)s?\b|\s{0,3}(->|→|=>|\+|&)|\s{1,3}and\s{1,3}(log|retr|ignor|swallow|continu|carr|return|re-?throw|print|drop|discard))|guard\w{0,3} against|defen[cs]e against|fails?\s{1,3}the\s{1,3}(build|ci|pipeline|pr|merge)\s{1,3}(if|when|whenever)|(build|ci|pipeline|lint\w{0,3}|check)\s{1,3}(fails|breaks|blocks)\s{1,3}(the\s{1,3}(build|merge|pr)\s{1,3})?(if|when|whenever))\b",
    _FLAGS,
)
"""Before a poor practice: the candidate rejects it, found it, or explains why it is bad. A
"stop" whose object is a symptom gives the practice's purpose and rejects nothing: "to stop the
deadlocks he set READ UNCOMMITTED", "to make the alerts stop he muted them"; "to stop the team
committing .env files", "stopped logging tokens" still reject. A "stop" after "table", "from", "the",
"every" or "bus" / "tram" is a noun ("ALTER TABLE stop RENAME COLUMN", "at every stop"): no cue ("each
stopped committing", "put a stop to logging" still reject)."""
_PITFALL_AFTER = gated(
    r"\b(is|are|was)\s{1,3}(exactly\s{1,3}|precisely\s{1,3})?where\s{1,3}"
    r"(people|ppl|folks|devs|developers|teams|most\s{1,3}people|everyone|juniors)\s{1,3}"
    r"(slip|go\s{1,3}wrong|get\s{1,3}(it\s{1,3})?wrong|get\s{1,3}burn(ed|t)|trip(\s{1,3}up)?|mess\s{1,3}up|screw\s{1,3}up)\b"
    r"|\b(is|was|are|were)\s{1,3}(exactly\s{1,3})?(the|an|a|one)\s{1,3}(classic\s{1,3}|textbook\s{1,3}|known\s{1,3})?(anti-?pattern|footgun|mistake|trap)\s{1,3}"
    r"(that\s{1,3})?(he|she|they)\s{1,3}(removed|fixed|killed|ripped\s{1,3}out|got\s{1,3}rid\s{1,3}of|replaced|rooted\s{1,3}out)\b",  # "... is the anti-pattern he removed"
    _FLAGS,
)
_OWNED_AFTER = gated(
    r"\b(is|are|was)\s{1,3}(exactly\s{1,3}|precisely\s{1,3})?(where|how)\s{1,3}(\w{1,15}\s{1,3}){0,2}"
    r"(apps?|services?|systems?|servers?|sites?|companies|teams|people|you)\s{1,3}(get|gets|got)\s{1,3}"
    r"(owned|pwned|hacked|popped|compromised|breached|burn(ed|t))\b",
    _FLAGS,
)
"""After a practice, how systems get owned: the candidate's warning when the clause says they knew
or said it ("knew child_process with user input is where node apps get owned", round 140), the
interviewer's verdict on their practice otherwise ("builds the SQL by concatenation, which is
exactly how companies get breached")."""
"""After a poor practice, the candidate's warning that it is the known pitfall ("knex.raw with
template strings is where people slip", round 109): a practice named to be avoided."""
_RISK_AFTER = gated(
    r"\W{0,3}.{0,50}\b(is|are|was|were|would be|being) (still |also |equally |just as )?(injectable|exploitable|vulnerable)\b",
    _FLAGS,
)
_KNEW_BEFORE = gated(
    r"\b(knew|knows|know|aware|understood|understands|explained|pointed out|noted|said|says|recogni[sz]ed)\b", _FLAGS
)
"""After a poor practice, the risk it carries ("knew concatenated HQL is still injectable"): the
candidate's knowledge only when the clause says they knew or said it; "builds the query by
concatenating input, which is still injectable" is the interviewer's verdict on their practice."""
_DISCOVERY = gated(
    r"(thread|heap)\s{1,3}dumps?\s{1,3}showed|found|finding|noticed|noticing|spotted|spotting|picked up (on|that)|saw|caught|flagged|pointed out|called out|identified|audited|fixed|recogni[sz]ed|discovered|discovering|to (confirm|verify|prove)|"
    r"(breach|incident|outage|post-?mortem|war story|story) (where|when|in which|about)|"
    r"flagged|realis\w{1,3}|realiz\w{1,3}|traced|diagnosed|"
    + _WORKED_OUT
    + r"|explain\w{0,3}|(not\w{1,3}|point\w{0,3} out|knows?|knew|understood|understands|argu\w{1,3}|aware) that",
    _FLAGS,
)
"""Rejection cues that introduce what the candidate found, not did: they reach further
("found from the trace that the HTTP client had no timeout")."""
_INTERVIEWER_BEFORE = gated(
    r"\b(I|we|interviewer|the interviewer|panel|the panel|reviewers?|the team|our team)\s{1,3}(also\s{1,3})?$", _FLAGS
)
_REJECTION_INSIDE = gated(
    r"[,;]\s{0,2}(and\s{1,2}|but\s{1,2})?not\b(?!\s{1,3}(null|nullable|only|just|even)\b)|"  # "money as NUMERIC or integer cents, not floats"
    r"\bso (that )?(nobody|no one|no-one|no attacker|no client|no tenant|no caller)(?=( can| could| is able to| would be able to)?\s(read|see|bypass|reuse|forge|guess|access|reach|tamper|replay|enumerate|steal|spoof|sniff|intercept|inject|hit|call|edit|change|delete)\w{0,3}\b)|"
    r"\bnot(?=\s{1,2}(in|inside|into|kept in|stored in|committed to|checked in|checked into|hard-?coded in|put in)\s{1,2}(the |an? |any |our |their |his |her )?"
    r"([\w/-]{0,30}\.(ya?ml|properties|env|json|xml|conf|ini|toml|cfg|py|js|ts|java|go|rb)\b|(code|repo|repository|git|source|config)\b)(?![^.;]{0,40}[,;]\s{0,2}(they|it)(['’]re|['’]s| are| is) (baked|committed|hard-?coded|put|stored|copied|checked)))|"  # "Secrets not in application.yml"
    r"\b(never|nothing|none|not (manually|by hand|directly|in place)|instead of|rather than|avoid\w{0,3}|(wo|would|should|must|will|do|does|did|is)(n[’']?t|\s+not)|warn(s|ed)?\b|warning\s{1,3}(against|that|about|of)\b|(is|was|are|were|firmly|strongly|[’']s) against|against (?=\w{2,20}ing\b)|not (a|an|the)|"
    r"pushed back|refus\w{1,3}|point\w{0,3} out|explain\w{0,3}|knows?|knew|aware|bad idea|(is|are|was) (bad|dangerous|wrong|risky)|"
    r"unless\s{1,3}(someone|somebody|anyone|a\s{1,3}dev\w{0,6}|developers?|people)|"
    r"redact\w{0,3}|mask\w{0,3}|scrub\w{0,3}|filter\w{0,3} out|found|finding|discover\w{1,4}|spotted|noticed|"
    r"out of(?= (the |its |their |any )?(local ?storage|session ?storage|logs?|git|repos?|code|source|urls?|query strings?|"
    r"client|browser|front-?end|bundles?|config|env|\.env|responses?|error messages?)\b))\b",
    _FLAGS,
)
_NO_PRACTICE_INSIDE = gated(
    r"[,;:]\s{1,2}(?P<no>no)\s{1,2}(string|raw|manual|hand-?built|hand-?rolled|dynamic|inline|concatenat\w{0,5}|wildcards?|allow[- ]all|floats?|doubles?|floating)\b",
    _FLAGS,
)
"""Between a pair's two ideas, a "no" after a comma that names the practice denied ("named
params in @Query, no string concatenation", "exact allowlist of origins, no wildcard",
"amounts bigint in minor units, no floats")."""
"""Inside a pattern that spans two ideas ("money ... as NUMERIC, never double"): a rejection
between them is the candidate's, and so is a discovery ("a currency column, and once
finding a DOUBLE column in a legacy ledger"). Plain "no"/"without" stay: "no lock", "without a
transaction" are how a bad practice is described. "Keeps the session token out of
localStorage" keeps it away from where the practice would put it."""
_NOT_REJECTED_AFTER = gated(
    r".{0,40}\b((?<!caused )(?<!triggered )(?<!introduced )(?<!order )(?<!group )(?<!partition )by|with|using|and then|so (he|she|they|we|i)"
    r"|(he|she|they|we|i) (made|added|used|uses|put|wrapped|chose|picked|went with|relies on|relied on))\b",
    _FLAGS,
)
""""fixed it by turning off certificate checks": the practice after "by" is theirs; not after
"caused by" ("EXPLAIN to confirm a nested loop caused by a missing index": the cause found),
nor SQL's "ORDER BY" ("Found ORDER BY built from req.query.sort by string concatenation"). A
goal and then what they did for it is theirs too ("to stop it running twice he made it
synchronized", round 116)."""
_VERDICT_AFTER = gated(
    r"\W{0,3}.{0,50}\b(is|are|was|were|would be|being|=) (a |an )?(very |really |obviously )?(bad|terrible|dangerous|"
    r"risky|wrong|insecure|unsafe|anti-?pattern|mistake|red flag|not ok(ay)?|unacceptable|a no-go|evil|bug)\b"
    r"|\W{0,3}.{0,50}\b(is|are) (never|not) (ok(ay)?|acceptable|fine|safe)\b"
    r"|\s{1,3}(\w{1,15}\s{1,3}){0,3}?(is|are|was|were) (firmly |rightly |correctly |explicitly )?(rejected|ruled out|avoided)\b"
    r"(?!\s{1,3}(by|for|at|in|because|until|when|if|on)\b)"
    r"|\W{0,3}.{0,50}\b(is|was|are|were) (something|a thing|one thing|what) (she|he|they|the candidate)\s{0,2}(['’]d|would|will)?\s{0,2}"
    r"(never|not) (ship|do|use|allow|accept|repeat|build|write)\b",  # "a 200 with {success:false} is something she'd never ship again"
    _FLAGS,
)


class _Cues(NamedTuple):
    """Where the context regexes can match in a note: for each, the end offsets at which
    the compiled scan saw a possible match (`scan.py`), or None: anywhere. Most hits have
    no negation or rejection before them; knowing that without running the regex over the
    clause saves most of the cost of reading a hit's context."""

    negation: list[int] | None = None
    rejection: list[int] | None = None
    verdict: list[int] | None = None
    negated_after: list[int] | None = None
    mentioned: list[int] | None = None
    undone: list[int] | None = None
    someone_elses: list[int] | None = None
    corrected: list[int] | None = None
    first_answer: list[int] | None = None
    interviewers_words: list[int] | None = None
    wished: list[int] | None = None
    reader_gets: list[int] | None = None
    rejection_inside: list[int] | None = None
    no_practice_inside: list[int] | None = None
    predicted: list[int] | None = None
    aside: list[int] | None = None


_ANYWHERE = _Cues()


def _may_lie_in(ends: list[int] | None, start: int, end: int) -> bool:
    """Whether a match can lie inside notes[start:end]: the scan saw one end in (start, end]."""
    if ends is None:
        return True
    return bool(ends) and bisect.bisect_right(ends, end) > bisect.bisect_right(ends, start)


# --- the compiled lexicon ------------------------------------------------------------------


@dataclass(frozen=True)
class _CompiledPattern:
    rule: SignalRule
    regex: re.Pattern[str]
    triggers: frozenset[str] | None
    """Lower-case strings one of which every match contains; None when unknown."""
    requirements: tuple[frozenset[str], ...]
    """More such sets, all of which a match satisfies: checked before the regex runs."""
    sentence_wide: bool = False
    """Whether the pattern names a parenthesis ("index on \\(a, b\\)"): a parenthesis ends a
    clause, so such a pattern is searched over its sentence, as a pair is."""


@dataclass(frozen=True)
class _CompiledLexicon:
    patterns: tuple[_CompiledPattern, ...]
    triggers: ahocorasick.Automaton
    """Every trigger occurrence in one pass; each value is the indexes of the patterns needing it."""
    untriggered: tuple[int, ...]
    whole: frozenset[int] = frozenset()
    """The indexes of the patterns that must match a whole clause (`SignalRule.whole_clause`)."""

    def rule(self, signal: str) -> SignalRule:
        """The rule of a signal these patterns find (a verdict read from an answer takes it)."""
        rule = next((p.rule for p in self.patterns if p.rule.id == signal), None)
        if rule is None:
            raise KeyError(f"no signal {signal!r} in this lexicon: was it renamed in the rubric's signal files?")
        return rule


@dataclass(frozen=True)
class Lexicon:
    """A rubric's patterns compiled once: one lexicon per competency, plus the judgement words."""

    competencies: dict[Competency, _CompiledLexicon]
    judgement: _CompiledLexicon
    model: NotesModel | None = None
    """How interviewers sound when a candidate meets the bar (`notes_model.py`)."""
    scans: _Scans | None = None
    """Where each pattern and context regex can match (`scan.py`). None: the plain search
    decides where."""


@dataclass(frozen=True)
class _Scans:
    """The compiled scans of a rubric: one of what every competency looks for (every red
    flag, the judgement words, the context regexes), shared, and one per competency of the
    rest of its patterns. Smaller than one scan per competency of everything it looks for
    (the red flags of all five are most of each): the shared one stays in the CPU's cache
    from one note to the next.

    A note's matches are numbered as in `_scanned`: the competency's patterns (its
    lexicon's indexes), then the judgement words', then the context regexes'."""

    shared: Scanner
    own: dict[Competency, Scanner]
    """Reports each match by the pattern's index in the competency's lexicon."""
    numbers: dict[Competency, tuple[int, ...]]
    """For each pattern of `shared`, its number in the competency's numbering."""
    located: dict[Competency, Any] | None = None
    """The same numbering compiled (`hiring_pipeline_native.Located`): `_scanned`'s loop
    without a Python call per match, when `native/` is installed; None: the loop in Python."""


Search = Literal["scan", "triggers", "every"]
"""Where the evidence search runs each pattern's regex; what it finds is the same:
- "scan": the clauses where a compiled scan of the whole note saw a possible match
  (`scan.py`); the default when Hyperscan is installed.
- "triggers": the clauses holding a literal every match must contain (found by
  Aho-Corasick): the plain search, and the fallback without Hyperscan.
- "every": every clause: the reference the other two are tested against."""

_COMPILED: dict[tuple[int, str], tuple[Rubric, Lexicon]] = {}


def compile_lexicon(rubric: Rubric, search: Search | None = None) -> Lexicon:
    """Compile once per rubric (`search`: see `Search`).

    Cached by the rubric object's identity (kept alive in the cache, so the id cannot be
    reused): hashing a frozen pydantic rubric costs more than scoring a short note."""
    search = search or ("scan" if scan_available() else "triggers")
    cached = _COMPILED.get((id(rubric), search))
    if cached is None:
        triggers = search == "triggers"
        everywhere = tuple(s for c in rubric.competencies for s in c.signals if s.kind == "red_flag")
        # A red flag is one whichever competency's box the interviewer wrote it in
        # ("deletes the SQS message, then processes it" under concurrency).
        competencies = {
            c.id: _compile(c.signals + tuple(s for s in everywhere if s not in c.signals), triggers)
            for c in rubric.competencies
        }
        judgement = _compile(rubric.judgement, triggers)
        scans = _compile_scans(competencies, judgement) if search == "scan" else None
        lexicon = Lexicon(competencies, judgement, load_model(), scans)
        cached = _COMPILED[(id(rubric), search)] = (rubric, lexicon)
    return cached[1]


def _compile_scans(competencies: dict[Competency, _CompiledLexicon], judgement: _CompiledLexicon) -> _Scans:
    # Each red flag pattern once, though every competency has it; by signal and text, because two
    # signals may share a pattern's text and each must be found (one scanned pattern per index).
    flags = list(
        dict.fromkeys(
            (p.rule.id, p.regex.pattern) for c in competencies.values() for p in c.patterns if p.rule.kind == "red_flag"
        )
    )
    shared = [text for _, text in flags] + [p.regex.pattern for p in judgement.patterns] + [c.pattern for c in _CONTEXT]
    everything = shared + [p.regex.pattern for c in competencies.values() for p in c.patterns]
    scanner = Scanner(shared, alphabet=everything)
    own, numbers = {}, {}
    for competency, compiled in competencies.items():
        mine = [i for i, p in enumerate(compiled.patterns) if p.rule.kind != "red_flag"]
        own[competency] = Scanner([compiled.patterns[i].regex.pattern for i in mine], ids=mine, alphabet=everything)
        where = {(p.rule.id, p.regex.pattern): i for i, p in enumerate(compiled.patterns) if p.rule.kind == "red_flag"}
        # A red flag pattern the competency does not have (none today: each has every one) is
        # numbered past everything, and ignored.
        beyond = len(compiled.patterns) + len(judgement.patterns) + len(_CONTEXT)
        numbers[competency] = tuple(where.get(f, beyond) for f in flags) + tuple(
            range(len(compiled.patterns), len(compiled.patterns) + len(judgement.patterns) + len(_CONTEXT))
        )
    located = None
    if native is not None and hasattr(native, "Located"):  # not a build from before it
        located = {
            competency: native.Located(
                list(numbers[competency]),
                len(compiled.patterns),
                len(judgement.patterns),
                len(_CONTEXT),
                sorted(compiled.whole),
                sorted(judgement.whole),
            )
            for competency, compiled in competencies.items()
        }
    return _Scans(scanner, own, numbers, located)


def _compile(rules: tuple[SignalRule, ...], triggers: bool) -> _CompiledLexicon:
    patterns = tuple(
        _CompiledPattern(
            rule=rule,
            regex=_regex(_from_word_start(p)),
            triggers=_required(p) if triggers else None,
            requirements=_requirements(p) if triggers else (),
            sentence_wide=_NAMES_A_PARENTHESIS.search(p) is not None,
        )
        for rule in rules
        for p in rule.patterns
    )
    by_trigger: dict[str, list[int]] = {}
    for index, pattern in enumerate(patterns):
        for trigger in pattern.triggers or ():
            by_trigger.setdefault(trigger, []).append(index)
    automaton = ahocorasick.Automaton()
    for trigger, indexes in by_trigger.items():
        automaton.add_word(trigger, tuple(indexes))
    automaton.make_automaton()
    return _CompiledLexicon(
        patterns,
        automaton,
        tuple(i for i, p in enumerate(patterns) if p.triggers is None),
        frozenset(i for i, p in enumerate(patterns) if p.rule.whole_clause),
    )


_NAMES_A_PARENTHESIS = re.compile(r"(?<!\\)(\\\\)*\\[()]")
"""An escaped parenthesis in a pattern's source (not an escaped backslash before a group)."""

_REGEXES: dict[str, re.Pattern[str]] = {}


def _regex(pattern: str) -> re.Pattern[str]:
    """One compiled regex per distinct pattern: every red flag is in every competency's
    lexicon, and `re`'s own cache (512 entries) is far smaller than the rubric, so compiling
    each copy again cost a service's start-up seconds."""
    found = _REGEXES.get(pattern)
    if found is None:
        found = _REGEXES[pattern] = gated(pattern, _FLAGS)
    return found


def _from_word_start(pattern: str) -> str:
    """Signals are words and phrases, so a match never starts inside a word. (`\\b` also
    refuses an alternative that starts with ".", "/" or "@" after a space; rewriting it to allow
    that, in -277, woke alternatives written and guarded for no such start: ".env.test with fake
    values", "@Entity objects never serialized", an independent review found. So it stays, and
    a pattern for ".env" after a space starts with the word before it.)"""
    starts_with_word = pattern[:1].isalnum() or pattern.startswith(("(", "\\b", "\\w"))
    return f"(?:\\b(?:{pattern}))" if starts_with_word else f"(?:{pattern})"


# --- evidence ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """What the notes say about one competency, each item with its quote."""

    signals: tuple[wire.Signal, ...]
    """As the scored event carries them; `score.score_assessment` makes the contract's
    `Signal`s of them (pydantic's validation of each costs more than the rest of a quote)."""
    weight: float
    """Net weight of the evidence: positive for the candidate, negative against."""

    @property
    def red_flags(self) -> tuple[str, ...]:
        return tuple(sorted({s.signal for s in self.signals if s.kind == "red_flag"}))

    @property
    def supported(self) -> bool:
        """Whether the notes say anything either way about the competency."""
        return bool(self.signals)


WEIGHTS = {
    "topic": 1.0,
    "praise": 1.0,
    "verdict": 2.0,
    "gap": -1.25,
    "prompted": -1.0,
    "slip": -0.25,
    "weak": -1.0,
    "red_flag": -2.0,
    "rejected": 0.5,
    "complacent": -1.25,
    "alarm": -1.0,
}
"""How much each kind of evidence moves the verdict. A gap outweighs a topic: "mentioned
the CAP theorem but could not apply it" is weak. A slip barely counts: one forgotten
header name does not sink a strong answer. A rejected bad practice is half a strength:
knowing what not to do is less than showing what to do."""


MODEL_WEIGHT = 1.0
"""The notes model's logit counts like one piece of lexicon evidence per unit."""
MODEL_SIGNAL = 0.75
"""From this logit on, the model's reading is evidence of its own, with its quote; its
words alone must push this far too, or a note of small talk would read as weak evidence
by the model's prior."""
MODEL_SIGNAL_ALONE = 0.8
"""The same, on a note with no lexicon evidence, where the tone would be the only evidence:
trained on labelled notes alone (33 `dev` voices) the model read small talk 0.75 toward
weak. Chosen leaving one voice out at a time (33 voices): 0.8 -> 97.0 / 97.0 / 1.6 %
(accuracy / red-flag recall / false red flags), 0.95 -> 96.9 / 96.8 / 1.6 %. With the
notes of no evidence in training, the tests' small-talk probes move it less than 0.4; a
note on the candidate's career ("leads a team of four") still reads 1.2 toward strong."""
RED_FLAG_HEAD_ALONE = 2.4
"""How far a note's words must push the red-flag head from its prior (from p = 0.30 to
0.83) when nothing else in the note is evidence. Small talk ("we talked for twenty minutes
about the team") shares words with outage stories: trained on labelled notes alone it
pushed up to 2.36 (33 `dev` voices); with the notes of no evidence in training
(`tests/data/notes/neutral/`), 1.11 at most over 296 probes. Read leaving one `dev` voice
out at a time (37 voices): 12 of the 15 red flags with no other evidence stay flagged,
none of the 14 notes without a red flag is (at 2.0: 14 of 15 and 2 of 14)."""
_MODEL_RULE = SignalRule(id="notes_model.tone", kind="strong", patterns=("tone",))
_RED_FLAG_RULE = SignalRule(id=READ_RED_FLAG, kind="red_flag", patterns=("red flag",))


Kind = Literal["strong", "weak", "red_flag"]


class _Hit(NamedTuple):
    clause: int
    start: int
    end: int
    rule: SignalRule


def find_signals(notes: str, competency: Competency, lexicon: Lexicon) -> list[Signal]:
    """Every piece of evidence about `competency` in `notes`, in the order it appears."""
    return [Signal(kind=s.kind, signal=s.signal, quote=s.quote) for s in assess(notes, competency, lexicon).signals]


Scanned = tuple[Any, Any, str, str]
"""A note's matches from the compiled scans, as `scan_notes` gives them to `assess`: the
competency's own scan's and the shared scan's (`native.Ends`), the note as the scans read it
(`as_read`, which `assess` would otherwise compute again) and the note as written (`assess`
scans a note itself if it is handed another note's scans)."""


def scan_notes(notes: Sequence[tuple[str, Competency]], lexicon: Lexicon) -> list[Scanned | None]:
    """The compiled scans of many notes, run back to back before any of them is read.

    The shared scan's database (every red flag of the rubric, about 14 MB) is larger than
    the CPU's cache: scanned between two notes' Python it is read from memory again each
    time, and evicts the Python's own data. Scanned one note after another it stays warm
    (README, Performance). What `assess` finds is the same either way. None for every note
    when the scans are not compiled with `native/`: then `assess` scans (or searches) itself."""
    scans = lexicon.scans
    if scans is None or scans.located is None:
        return [None] * len(notes)
    read = _scan_all([(as_read(text), competency) for text, competency in notes], scans)
    return [(own, shared, text, written) for (own, shared, text, _), (written, _) in zip(read, notes, strict=True)]


def _scan_all(notes: Sequence[tuple[str, Competency]], scans: _Scans) -> list[Scanned]:
    data = [scans.shared.encode(text) for text, _ in notes]
    shared = [native.Ends() for _ in notes]
    for one, found in zip(data, shared, strict=True):
        scans.shared.scan(one, found)
    mine = [native.Ends() for _ in notes]
    for n in sorted(range(len(notes)), key=lambda n: notes[n][1]):  # one competency's database at a time
        scans.own[notes[n][1]].scan(data[n], mine[n])
    return [(own, common, text, text) for own, common, (text, _) in zip(mine, shared, notes, strict=True)]


def assess(notes: str, competency: Competency, lexicon: Lexicon, scanned: Scanned | None = None) -> Evidence:
    """What the notes say about `competency`. `scanned`: the note's matches from `scan_notes`
    (the same evidence, found for less); None: the note is scanned here."""
    if not notes.strip():
        return Evidence((), 0.0)
    if scanned is not None and scanned[3] is not notes and scanned[3] != notes:
        scanned = None  # another note's scans
    written, notes = notes, as_read(notes) if scanned is None else scanned[2]
    as_split = split_clauses(notes)  # the clauses as written; `clauses` has run-ons cut
    clauses = cut_ellipses(notes, cut_run_ons(notes, as_split))
    # The lower-case copy serves the plain search's literal checks; the scan has none.
    folded = fold_case(notes) if lexicon.scans is None else notes
    starts = [c.start for c in clauses]
    own, judgement = lexicon.competencies[competency], lexicon.judgement
    cues = _ANYWHERE
    if lexicon.scans is not None:
        where_own, where_judged, cues = _scanned(
            notes, clauses, starts, lexicon.scans, competency, own, judgement, scanned
        )
    else:
        where_own, where_judged = _where(folded, starts, own), _where(folded, starts, judgement)
    about_the_work = kept(notes, as_split, cues.aside)
    # What is set aside (the call, the candidate's manner) is read by no rule; nor the
    # heading that names the competency nor the opening question by the notes model
    # (`asides.without_opening`).
    asides = (
        [(c.start, c.end) for c in as_split if c not in about_the_work] if len(about_the_work) < len(as_split) else []
    )
    modelled = without_opening(notes, about_the_work)
    answers = _answers(notes, clauses)
    asked = _interviewer_turns(notes) if ":" in notes else []
    hypotheses = hypothesis_sections(notes)
    graded = "(" in notes and _KEY_RESULT.search(notes) is not None
    own_hits = _hits(notes, folded, clauses, starts, own, where_own)
    topical = [
        h
        for h in own_hits
        if not (asides and _set_aside(asides, h))
        and (
            not clauses[h.clause].question
            or answers.get(h.clause) == "yes"
            or (answers.get(h.clause) == "no" and h.rule.kind == "strong")
        )
        and not (asked and h.rule.kind == "strong" and _set_aside(asked, h) and answers.get(h.clause) != "yes")
        # "H: candidate uses EXPLAIN plans and knows covering indexes": what the test looks for
        and not (hypotheses and _within(hypotheses, h))
    ]
    # A poor practice in the interviewer's question or exhibit is not the candidate's, nor a
    # strength in a question put to the reader ("ask him how CSRF works and you'll get XSS").
    topical = [
        h
        for h in topical
        if not (
            _asked_of_the_reader(notes, clauses[h.clause], h, cues)
            if h.rule.kind == "strong"
            else _put_by_interviewer(notes, clauses[h.clause], h, cues)
        )
    ]
    denied = {i for i, h in enumerate(topical) if answers.get(h.clause) == "no"}
    if graded:
        # "KR3: idempotency of the create call (0.2) - not reached": the practice the line
        # names, graded low, is one the candidate did not show.
        denied |= {i for i, h in enumerate(topical) if h.rule.kind == "strong" and _GRADED_LOW.match(notes, h.end)}
    judged = _hits(notes, folded, clauses, starts, judgement, where_judged)
    if not hypotheses or any(h.rule.kind != "strong" and _within(hypotheses, h) for h in own_hits):
        # "Result: not supported" is a verdict only on a hypothesis the note states, and one
        # of a strength: on "H: candidate builds SQL by string concatenation" it means the opposite.
        judged = [h for h in judged if not h.rule.id.startswith(_RESULT_VERDICT)]
    if asides:
        judged = [h for h in judged if not _set_aside(asides, h)]
    criteria = criteria_answered_no(notes) if ":" in notes else []
    ruled_out = [(start, end) for start, end, _ in criteria]
    bare = [(start, end) for start, end, answered in criteria if _BARE_NO.match(notes, answered)]
    if ruled_out:
        topical, judged = _against_the_criteria(notes, ruled_out, topical, judged)
        denied = {i for i, h in enumerate(topical) if answers.get(h.clause) == "no" or _within(ruled_out, h)}
    if "one of" in notes or "either" in notes or "othing" in notes or "ot a word" in notes:
        # "Locking, isolation levels, queues - none of it.": the list the next clause denies
        denied |= {
            i for i, h in enumerate(topical) if h.rule.kind == "strong" and _denied_after(notes, clauses, h.clause)
        }
    # "Start: an Idempotency-Key header" names what the candidate did not show, "Stop: retries
    # at every layer" what they did: neither is a strength they showed, and what a "Stop:"
    # line tells is their practice, whatever remedy the retro prescribes. "Stop: nothing." is
    # no gap.
    retro = retro_sections(notes) if ":" in notes else []
    stopped = [(start, end) for label, start, end in retro if label == "stop"]
    if retro:
        unshown = [(start, end) for label, start, end in retro if label in ("start", "stop")]
        denied |= {i for i, h in enumerate(topical) if h.rule.kind == "strong" and _within(unshown, h)}
        nothing = [(start, end) for label, start, end in retro if label == "nothing"]
        judged = [h for h in judged if not (h.rule.id.startswith("judgement.gap.") and _within(nothing, h))]

    items: list[tuple[int, Kind, str, float, _Hit]] = []  # (position, kind, signal id, weight, hit)
    doubting: set[int] = set()  # clauses whose topics a gap or a hint takes back
    # "Couldn't recall the pg_trgm operator class off the top of his head": the words of a
    # gap inside a slip's are the slip, not a gap (nor a topic the candidate lacked).
    slips = [(h.clause, h.start, h.end) for h in judged if h.rule.id.startswith("judgement.slip.")]
    for hit in judged:
        if hit.rule.id.startswith("judgement.gap.") and _inside(slips, hit):
            continue
        if hit.rule.whole_clause and (_answers_a_question(notes, clauses, hit) or _echoed(notes, hit)):
            continue  # "'Support would tell us.' lol. Yes. Yes we would.": agreeing, not a verdict
        role = hit.rule.id.split(".")[1]  # praise | verdict | gap | prompted | slip | complacent | alarm
        if role == "verdict" and hit.rule.kind == "strong" and _within(bare, hit):
            # "Meets the bar: no." The criterion is the interviewer's, the no their verdict.
            no = hit._replace(rule=judgement.rule(_NO_HIRE))
            items.append((hit.start, "weak", _NO_HIRE, -WEIGHTS["verdict"], no))
            continue
        if role == "verdict" and hit.rule.kind == "strong" and clauses[hit.clause].question:
            # "Meets the bar? Not really.": the interviewer's question, not a verdict; the
            # answer is ("Yes." is a verdict of its own).
            answer = clauses[hit.clause + 1] if hit.clause + 1 < len(clauses) else None
            if answer is not None and _YES_ANSWER.match(notes, answer.start, answer.end):
                yes = _Hit(hit.clause + 1, answer.start, answer.end, hit.rule)
                items.append((answer.start, "strong", hit.rule.id, WEIGHTS["verdict"], yes))
            elif answer is not None and _NO_ANSWER.match(notes, answer.start, answer.end):
                no = _Hit(hit.clause + 1, answer.start, answer.end, judgement.rule(_NO_HIRE))
                items.append((answer.start, "weak", _NO_HIRE, -WEIGHTS["verdict"], no))
            continue
        if hit.rule.whole_clause and role == "gap" and not _after_its_question(clauses, hit.clause):
            continue  # "Blank. See consolidated notes from the debrief.": the box, not an answer
        if (
            hit.rule.whole_clause
            and _NOTHING.fullmatch(notes, hit.start, hit.end)
            and not _asked_before(notes, clauses, hit)
        ):
            continue  # "Concerns - nothing.": no concern, not a blank answer
        kind = hit.rule.kind
        weight = WEIGHTS[role] if kind == "strong" or role != "verdict" else -WEIGHTS[role]
        if (
            role == "verdict"
            and _PARENTHESISED.match(notes, max(0, hit.start - 3), hit.end + 3)
            and not _LABELS_A_VERDICT.search(notes, max(0, hit.start - 30), hit.start)
        ):
            # "Started with the whole result in memory (shaky).": the first answer's grade, as
            # much as praise or a gap, not the interviewer's bottom line.
            weight /= 2
        if role == "complacent" and (
            _NOT_SAID.search(notes, clauses[hit.clause].start, hit.start)
            or (
                any(mark in notes[max(0, hit.start - 2) : hit.start + 1] for mark in _QUOTE_MARKS)
                and _REFUSED_BEFORE.search(notes, clauses[hit.clause].start, hit.start)
            )
        ):
            continue  # "He didn't say 'that won't happen' - he said it will": no shrug
        if _negation(notes, clauses[hit.clause], hit.start, context=cues) is not None and (
            role != "verdict" or _right_before(notes, clauses[hit.clause], hit.start)
        ):
            if kind == "weak":
                continue  # "not vague", "no hints needed" is said by its own praise pattern
            kind, weight, role = "weak", -max(weight, -WEIGHTS["gap"]), "gap"  # "not convincing"
        if kind == "strong" and _wished(notes, clauses[hit.clause].start, hit.start, cues):
            kind, weight, role = "weak", -max(weight, -WEIGHTS["gap"]), "gap"  # "I'd like to see it on their own"
        if role == "alarm" and _told_as_a_fix(notes, clauses, [hit], cues):
            continue  # "finding a check-then-insert in a colleague's code that created duplicate accounts, and replacing it"
        if role == "alarm" and (
            _PREVENTED.search(notes, clauses[hit.clause].start, hit.start)
            or _UNLESS.match(notes, hit.end)
            or _RULED_OUT.match(notes, hit.end)
        ):
            continue  # "returns the stored result instead of charging twice": a harm designed out
        if role == "alarm" and _ASKED.match(notes, hit.end):
            continue  # "long pause, then 'we'd charge twice?'": a harm asked about, not one shipped
        if role == "alarm" and (
            _POSED.search(notes, clauses[hit.clause].start, hit.start)
            or _NOT_SEEN_AFTER.match(notes, hit.end)
            or _THE_EXERCISE_AFTER.match(notes, hit.end)
            or _heads_its_clause(notes, clauses[hit.clause], hit)
        ):
            continue  # "then I ask how we even know before customers complain", "voucher oversell race - didn't see it at first", "last-unit oversell question", "before seeing that both can succeed": the exercise's harm
        if role == "gap" and _feared_then_disproved(notes, clauses, hit):
            continue  # "I expected buzzwords but she backed it up"
        if kind == "weak" and role in ("gap", "prompted"):
            doubting.add(hit.clause)
            if hit.clause > 0 and (
                clauses[hit.clause].contrast or _bare(notes, clauses, hit.clause, topical, hit.rule.whole_clause)
            ):
                # "mentioned X, but could not apply it"; "which metric, how to get from the
                # metric to a request - could not continue": a gap that names no topic of its
                # own is about what was just said.
                doubting.add(hit.clause - 1)
        if kind == "weak" and hit.rule.id == _DEFERRED:
            doubting.add(hit.clause)  # "assumes the framework handles thread safety": the topic is left to others
        items.append((hit.start, kind, hit.rule.id, weight, hit))

    has_gap = bool(doubting)
    complacent = any(item[2].startswith(("judgement.complacent.", "judgement.alarm.interviewer")) for item in items)
    alarm = next((item[4] for item in items if item[2].startswith("judgement.alarm.")), None)
    slipped = any(item[2].startswith("judgement.slip.") for item in items)
    defended = None if slipped else next((item[4] for item in items if item[2] == "judgement.complacent.defends"), None)
    if defended is not None and clauses[defended.clause].sentence in _moved_on_from(notes, clauses, cues):
        defended = None  # "first 'it won't happen'. After hints, a status column": an answer left behind
    rejected = {
        i
        for i, hit in enumerate(topical)
        if hit.rule.kind != "strong"
        and _rejected(notes, clauses[hit.clause], hit, cues, clauses[bisect.bisect_right(starts, hit.end - 1) - 1].end)
    }
    if len(rejected) < sum(hit.rule.kind != "strong" for hit in topical):
        rejected |= _told_as_a_fix(notes, clauses, topical, cues) | _remedied(notes, clauses, topical)
    if stopped:
        rejected -= {i for i, hit in enumerate(topical) if _within(stopped, hit)}
    outgrown = _outgrown(notes, clauses, topical) - rejected if any(h.rule.kind != "strong" for h in topical) else set()
    unknown = {
        i
        for i, hit in enumerate(topical)
        if hit.rule.kind != "strong" and i not in rejected and _not_known(notes, clauses[hit.clause], hit, cues)
    }
    for i, hit in enumerate(topical):
        if hit.rule.kind != "strong" and i not in rejected:
            doubting.add(hit.clause)  # "protects the ledger with a static synchronized method"
    negations = {
        i: _negation(notes, _after_the_answer(clauses[hit.clause], hit, criteria), hit.start, hit.end, cues)
        for i, hit in enumerate(topical)
        if hit.rule.kind == "strong"
    }
    for i, negation in negations.items():
        if negation == "gap" and _passed_over(notes, clauses[topical[i].clause], topical, negations, i):
            negations[i] = "choice"
        if negation == "gap" and i in denied and ruled_out and _within(ruled_out, topical[i]):
            negations[i], denied = "choice", denied - {i}  # "Has never profiled a slow query: no": no gap
    # A topic the candidate lacked ("couldn't normalise the example") is a gap as much as a
    # judgement word is: beside it, what was only mentioned is name-dropping.
    has_gap = has_gap or any(v == "gap" and not _inside(slips, topical[i]) for i, v in negations.items())
    for i, hit in enumerate(topical):
        clause = clauses[hit.clause]
        if hit.rule.kind == "strong":
            negation = negations[i]
            mentioned = has_gap and (
                (
                    _may_lie_in(cues.mentioned, clause.start, clause.end)
                    and _MENTIONED.search(notes, clause.start, clause.end) is not None
                )
                or _quoted(notes, clause, hit)
            )
            wished = _wished(notes, clause.start, hit.start, cues)
            weakened = (
                i in denied or negation == "gap" or wished or (negation is None and _undone(notes, clause, hit, cues))
            )
            if weakened and _inside(slips, hit):
                continue  # a topic lacked inside a slip ("Dropped PACELC then couldn't remember ...") is the slip
            if weakened:
                items.append((hit.start, "weak", hit.rule.id, WEIGHTS["weak"], hit))
            elif (
                negation is None
                and hit.clause not in doubting
                and not mentioned
                and not _predicted(notes, clause.start, hit.start, cues)  # "I'd worry about her on call"
            ):
                items.append((hit.start, "strong", hit.rule.id, WEIGHTS["topic"], hit))
        elif i in outgrown:
            continue  # "used to debug with console.log, not anymore": a lesson, neither a flaw nor a skill
        elif i in rejected:
            items.append((hit.start, "strong", f"{hit.rule.id}.rejected", WEIGHTS["rejected"], hit))
        elif i in unknown:
            items.append((hit.start, "weak", hit.rule.id, WEIGHTS["weak"], hit))
        elif hit.rule.kind == "weak" and not hit.rule.gap and (complacent or _endorsed(notes, clauses, hit, _CHOSEN)):
            # A poor practice the candidate defends ("considers this acceptable", "it's a
            # private repo anyway", "which he sees as defence in depth") is a red flag: they
            # would ship it again.
            items.append((hit.start, "red_flag", hit.rule.id, WEIGHTS["red_flag"], hit))
        elif hit.rule.kind == "red_flag" and _predicted(notes, clause.start, hit.start, cues):
            # "Expect him to return 200 with an error field": the interviewer's forecast, not a
            # practice the candidate showed.
            items.append((hit.start, "weak", hit.rule.id, WEIGHTS["weak"], hit))
        else:
            items.append((hit.start, hit.rule.kind, hit.rule.id, WEIGHTS[hit.rule.kind], hit))

    hits = [*topical, *judged]
    tokens = tokenize(notes, modelled) if lexicon.model is not None and modelled else None
    reading = weigh(tokens, lexicon.model) if tokens is not None and lexicon.model is not None else None
    red_flags_before = sum(item[1] == "red_flag" for item in items)
    items = _slips_are_not_red_flags(notes, clauses, items, cues)
    corrected = sum(item[1] == "red_flag" for item in items) < red_flags_before  # a slip or a first answer left
    items = _one_flag_per_practice(
        _cleared_by_the_bottom_line(notes, clauses, items, reading, modelled, lexicon.model), competency
    )
    items = _one_verdict_per_span(items)
    first: dict[tuple[Kind, str], tuple[int, float, _Hit]] = {}
    for position, kind, signal, weight, hit in items:
        if (kind, signal) not in first or position < first[(kind, signal)][0]:
            first[(kind, signal)] = (position, weight, hit)
    ordered = sorted(first.items(), key=lambda item: (item[1][0], item[0][1]))
    signals = tuple(
        wire.Signal(kind=kind, signal=signal, quote=_quote(written, clauses[hit.clause], hit))
        for (kind, signal), (_, _, hit) in ordered
    )
    weight = sum(weight for _, (_, weight, _) in ordered)
    if lexicon.model is not None and tokens is not None and reading is not None:
        # Words that read as strong cannot lift a note of one clause that a gap or a prompt
        # takes back ("Partially explained the composite index ordering"): the model reads
        # the very words the judgement discounted. (Over every clause of longer notes, the
        # same rule cost two notes of the `test` split.) A run-on note cut into sentences is
        # no note of one clause, though the model reads it as one: over all of them, the rule
        # cost about 50 more `dev` notes typed without full stops.
        # Nor is a run-on that no opener cut ("... not made worse timeouts are set shorter
        # ... meets the standard" in lower case). A clause set aside is no clause of the note.
        own_clauses: Sequence[int] = range(len(clauses))
        if asides:
            own_clauses = [i for i, c in enumerate(clauses) if not any(start <= c.start < end for start, end in asides)]
        taken_back = (
            weight < 0
            and reading.logit > 0
            and len(own_clauses) == 1
            and own_clauses[0] in doubting
            and not runs_on(notes, modelled)
        )
        weight += 0.0 if taken_back else MODEL_WEIGHT * reading.logit
        unbiased = reading.logit - lexicon.model.bias  # what the words say, without the prior
        needed = MODEL_SIGNAL if signals else MODEL_SIGNAL_ALONE
        if min(abs(reading.logit), abs(unbiased)) >= needed and reading.clause is not None and not taken_back:
            span = _Hit(0, reading.clause.start, reading.clause.end, _MODEL_RULE)
            kind = "strong" if reading.logit > 0 else "weak"
            signals += (wire.Signal(kind=kind, signal=_MODEL_RULE.id, quote=_quote(written, reading.clause, span)),)
    if weight > -WEIGHTS["verdict"] and _the_bottom_line_is_no(notes, clauses, items, asides):
        # The no-hire's own signal, quoted, is among `signals`: it is what the cap rests on.
        weight = -WEIGHTS["verdict"]
    # A practice a lexicon calls weak (not a strength the note denies: "did not consider an
    # atomic update" is a gap in knowledge, not a name for the practice).
    listed = any(
        kind == "weak" and hit.rule.kind == "weak" and not signal.startswith("judgement.")
        for _, kind, signal, _, hit in items
    )
    # A harm told beside a practice the lexicon calls weak stays with the lexicon's reading;
    # told on its own, it is the only word for the practice.
    sounded = alarm is not None and (alarm.rule.id == "judgement.alarm.interviewer" or not listed)
    if alarm is not None and sounded and weight < 0 and not any(s.kind == "red_flag" for s in signals):
        signals += (_alarm_flag(notes, clauses, alarm, written),)
    if defended is not None and weight < 0 and not listed and not any(s.kind == "red_flag" for s in signals):
        # A risk the candidate shrugs off ("'very unlikely'", "thinks it's fine b/c
        # HTTPS") in a weak note, beside a practice in words no lexicon lists: they
        # would ship it again, as with a listed practice they defend. Beside a listed
        # weakness the lexicon's reading stands (a defended knowledge gap is a gap).
        signals += (_alarm_flag(notes, clauses, defended, written, defended=True),)
    if lexicon.model is not None and tokens is not None and reading is not None:
        head = lexicon.model.red_flag
        if head is not None and weight < 0 and not any(s.kind == "red_flag" for s in signals):
            # A weak note that reads like the red flags of the corpus, in words no lexicon
            # lists: flagged with the clause that weighs most, for a person to check. On a
            # note with no other evidence, its words must say so clearly on their own. Not
            # when that clause tells the correction of a practice the lexicons read as left
            # behind ("... insisted it was fine; later admitted bcrypt is better"), or is the
            # interviewer's question on the way to it ("I asked about salts").
            flag = weigh(tokens, head)
            if flag.logit < head.threshold:
                trimmed = [weigh(tokenize(notes, rest), head) for rest in _without_an_end(clauses, modelled, hits)]
                best = max(trimmed, key=lambda reading: reading.logit, default=None)
                if best is not None and best.logit >= head.threshold + RED_FLAG_HEAD_TRIMMED:
                    flag = best
            alone = not signals and flag.logit - head.bias < RED_FLAG_HEAD_ALONE
            if (
                flag.logit >= head.threshold
                and flag.clause is not None
                and not alone
                and not _predicted(notes, flag.clause.start, flag.clause.end, cues)
                and len(_A_WORD.findall(notes, flag.clause.start, flag.clause.end)) >= 2
                and not (
                    corrected
                    and (
                        _MOVED_ON.search(notes, flag.clause.start, flag.clause.end)
                        or _I_ASKED.match(notes, flag.clause.start)
                    )
                )
            ):
                span = _Hit(0, flag.clause.start, flag.clause.end, _RED_FLAG_RULE)
                signals += (
                    wire.Signal(kind="red_flag", signal=_RED_FLAG_RULE.id, quote=_quote(written, flag.clause, span)),
                )
        elif head is not None and not any(s.kind == "red_flag" for s in signals):
            flagged = _under_a_bare_bottom_line(notes, clauses, modelled, items, lexicon.model, head)
            if flagged is not None:
                span = _Hit(0, flagged.start, flagged.end, _RED_FLAG_RULE)
                signals += (
                    wire.Signal(kind="red_flag", signal=_RED_FLAG_RULE.id, quote=_quote(written, flagged, span)),
                )
    return Evidence(signals, weight)


BARE_HIRE_TONE = -0.5
"""Under a bare bottom line ("Meets the bar.", "Hire."), the notes model's logit of the rest of the
note under which its words read weak (p = 0.38): see `_under_a_bare_bottom_line`."""
BARE_HIRE_FLAG = 1.5
"""How far above its threshold the red-flag head must read the rest of such a note (the head's
usual test on a weak note is its threshold alone): see `_under_a_bare_bottom_line`."""
BARE_HIRE_STRENGTHS = 2
"""The most strengths the lexicons name in such a note: one that names three or more (the
hydropower lead's "shed the reporting endpoints first ... backoff with jitter ... alert
thresholds", whose words alone the model reads weak) is a hire over its strengths."""


def _under_a_bare_bottom_line(
    notes: str,
    clauses: list[Clause],
    modelled: list[Clause],
    items: list[tuple[int, Kind, str, float, _Hit]],
    model: NotesModel,
    head: NotesModel,
) -> Clause | None:
    """The clause to flag in a note whose only verdict is a bare bottom line ("Meets the bar.",
    "Hire.", "Strong hire.") over a practice no lexicon names, when the notes model reads the rest
    of the note as weak and as a red flag: None otherwise. The lexicon counts such a bottom line
    once, as the interviewer's verdict; the model read it again as the note's tone, so a generous
    "Meets the bar." under "Every service connects as the same Postgres superuser" lifted the
    note past the weak reading its red-flag head needs (that head reads weak notes only). Round
    163's director and round 165's VP, asked for it: 9 of 9 and 13 of 23 red flags missed that
    way; the thresholds were chosen on the 1,395 labelled notes with such a bottom line and no red
    flag found (27 of them labelled red flags): 13 flagged, and one of the 1,368 labelled strong
    (`BARE_HIRE_STRENGTHS` keeps it). A bottom line with more in its sentence ("Meets the bar for
    a senior.", "Hire, she would lift the team") is no bare one, a weak verdict anywhere is the
    other rules' to read, and a practice the lexicon read as a story told is no practice of the
    candidate's, however its incident reads; nor is an incident the flagged sentence tells as a
    story (`_told_as_a_story`: "at her previous company the nightly backups turned out to be
    empty"), an independent review's probe (it cost one labelled red flag of round 162's narrator,
    whose next sentence read as a story). "Meets the bar for a senior." is still bare."""
    verdicts = {
        clauses[hit.clause].sentence for _, kind, signal, _, hit in items if signal.startswith("judgement.verdict.")
    }
    if not verdicts or any(
        kind == "weak" and signal.startswith("judgement.verdict.") for _, kind, signal, _, _ in items
    ):
        return None
    for sentence in verdicts:
        told = [c for c in clauses if c.sentence == sentence]
        if not _BARE_BOTTOM_LINE.fullmatch(notes, told[0].start, told[-1].end):
            return None
    if sum(_a_strength(signal, kind) for _, kind, signal, _, _ in items) > BARE_HIRE_STRENGTHS:
        return None
    if any(signal.endswith(".rejected") and _told_as_a_story(notes, clauses, hit) for _, _, signal, _, hit in items):
        return None  # "Story from his fintech: passwords were unsalted SHA-1, a dump leaked ...": the words of its incident
    rest = [c for c in modelled if c.sentence not in verdicts]
    if not rest:
        return None
    tokens = tokenize(notes, rest)
    if weigh(tokens, model).logit >= BARE_HIRE_TONE:
        return None
    flag = weigh(tokens, head)
    if flag.logit < head.threshold + BARE_HIRE_FLAG or flag.clause is None:
        return None
    if len(_A_WORD.findall(notes, flag.clause.start, flag.clause.end)) < 2:
        return None
    its_first_clause = next(i for i, clause in enumerate(clauses) if clause.sentence == flag.clause.sentence)
    if _told_as_a_story(notes, clauses, _Hit(its_first_clause, flag.clause.start, flag.clause.end, _RED_FLAG_RULE)):
        return None
    return flag.clause


_BARE_BOTTOM_LINE = gated(
    r"\W{0,3}((overall|verdict|bottom line|recommendation|decision|result|call)\W{1,3})?"
    r"((strong(ly)?|lean|solid|clear|definite|soft)\s{1,2})?"
    r"(hire|yes|pass|meets\s{1,2}(the\s{1,2})?(bar|standard|expectations?)|above\s{1,2}(the\s{1,2})?bar|recommend(ed)?)"
    r"(\s{1,2}(for|at)\s{1,2}(a\s{1,2}|an\s{1,2}|the\s{1,2}|this\s{1,2})?(senior|mid|mid-level|junior|staff|lead|principal|level|role)"
    r"(\s{1,2}(role|level|engineer|hire|position))?)?\W{0,3}",
    _FLAGS,
)


_A_WORD = gated(r"\w+")
"""A word, to count them: a red flag quoted as one word ("-> no.") shows the reader no practice."""
_JUST_AFTER = gated(r"[^.;!?\n]{0,80}?[,;]\s{0,2}(just|only|simply)\s", _FLAGS)


def _passed_over(notes: str, clause: Clause, topical: list[_Hit], negations: dict[int, str | None], index: int) -> bool:
    """Whether a topic the clause denies was passed over for the one it names after "just"
    ("no distributed lock service, no Redis lock, just the row lock"): a choice, not a gap."""
    hit = topical[index]
    just = _JUST_AFTER.match(notes, hit.end, clause.end)
    return just is not None and any(
        j != index
        and negations.get(j, "") is None
        and topical[j].clause == hit.clause
        and topical[j].start >= just.end()
        for j in negations
    )


_NOTHING = gated(r"\W{0,3}nothing\W{0,4}", _FLAGS)
_ASKING = gated(r"\b(asked|ask|asking|what|how|why|which|when|where|whether)\b", _FLAGS)


def _asked_before(notes: str, clauses: list[Clause], hit: _Hit) -> bool:
    """Whether the clause before a bare "nothing" asks something ("asked what happens when the
    budget is burnt -- nothing."): the answer was nothing, not the list of concerns."""
    before = clauses[hit.clause - 1] if hit.clause > 0 else None
    return before is not None and (before.question or _ASKING.search(notes, before.start, before.end) is not None)


def _after_its_question(clauses: list[Clause], index: int) -> bool:
    """Whether a clause follows another of its own sentence ("what would CSP do - blank."):
    an answer told after what was asked, not a word that opens the note or a sentence; or a
    sentence of its own right after a question ("With what data? Silence.")."""
    return index > 0 and (clauses[index - 1].sentence == clauses[index].sentence or clauses[index - 1].question)


_FEARED = gated(
    r"\b(I|we)\s{1,3}(had\s{1,3})?(expected|was expecting|were expecting|half[- ]expected|feared|assumed|was braced for|braced (myself )?for)"
    r"\s{1,3}(\w{1,15}\s{1,3}){0,2}$",
    _FLAGS,
)


def _feared_then_disproved(notes: str, clauses: list[Clause], hit: _Hit) -> bool:
    """A gap the interviewer expected and the next clause, a contrast, takes back ("I
    expected buzzwords but she backed it up"): their prior, not the candidate's gap."""
    following = hit.clause + 1
    return (
        following < len(clauses)
        and clauses[following].contrast
        and clauses[following].sentence == clauses[hit.clause].sentence
        and _FEARED.search(notes, clauses[hit.clause].start, hit.start) is not None
    )


_PREVENTED = gated(
    r"\b(instead of|rather than|prevent\w{0,3}|avoid\w{0,3}|stops?|so (that )?(no|nobody|nothing)|without|never|guards? against|protects? against|"
    r"(can|could|wo|would)(n[’']?t| not)|cannot|explain\w{0,3}|warn\w{0,3}|pointed out|point\w{0,3} out|knew|knows|aware|understood|understands)\b",
    _FLAGS,
)
"""Before a harm in its clause: the harm is what the candidate's design keeps from happening,
or what they explain ("explained that a duplicate message would charge twice")."""
_WISHED = gated(
    r"(\b(I.?d|I would|we.?d|we would) (\w{1,8} )?(like|love|want|hope|prefer) to see"
    r"|(?<!\bas )(?<!what )(?<!which )\b(I.?d|I would|we.?d|we would|I|we) (\w{1,8} )?(expect|need to see|want to see|look for))\b[^.;!?]{0,80}$",
    _FLAGS,
)
""""I'd love to see him get more on-call exposure", "I'd like to see these come up on their
own": what the interviewer wishes for is what the candidate has not shown yet; so is what they
expect of the level ("For L5 I'd expect idempotency keys on anything that moves money")."""


_PREDICTED = gated(
    r"(\b(I.?d |I would |we.?d |I |we )?(expect|predict|bet)\w{0,2}\s{1,3}(him|her|them|the candidate)\s{1,3}to"
    r"|\b(I.?d|I would|I|we.?d|we would|we) (\w{1,8} )?worry about (him|her|them|the candidate))\b[^.;!?]{0,120}$",
    _FLAGS,
)
"""Before a topic or a practice: the interviewer's forecast of the candidate on the job ("Expect
him to return 200 with an error field", "I'd worry about her on call"), not what they showed."""


def _predicted(notes: str, start: int, end: int, context: _Cues) -> bool:
    return _may_lie_in(context.predicted, start, end) and _PREDICTED.search(notes, start, end) is not None


def _wished(notes: str, start: int, end: int, context: _Cues) -> bool:
    return _may_lie_in(context.wished, start, end) and _WISHED.search(notes, start, end) is not None


_ASKED = gated(r"[^.!?\n,;:]{0,15}\?", _FLAGS)
_POSED = gated(
    r"\b(I|we|the interviewer)\s{1,3}(then\s{1,3})?(ask|asked|probe|probed|pose|posed|raise|raised|push on|pushed on)\s{1,3}"
    r"((him|her|them)\s{1,3})?(how|what|whether|if|why|when|where|who)\b[^.;!?]{0,60}$"
    r"|\b(got|gets|getting|came|comes|arrived|arrives)\s{1,3}((round|around)\s{1,3})?to\s{1,3}((the|a|that)\s{1,3})?$"
    r"|\bbefore\s{1,3}(he|she|they|the candidate)\s{1,3}(saw|spotted|noticed|found|realised|realized|caught|understood|got)\s{1,3}((the|a|that)\s{1,3})?$"
    r"|\b(I|we)\s{1,3}((had|needed)\s{1,3}to\s{1,3}|then\s{1,3}|first\s{1,3})?(describe[ds]?|explain(ed|s)?|spell(ed|t|s)?\s{1,3}out|"
    r"walk(ed|s)?\s{1,3}(him|her|them)\s{1,3}through|point(ed|s)?\s{1,3}out|dr(ew|aw)|sketch(ed|es)?|show(ed|s)?\s{1,3}(him|her|them))"
    r"\s{1,3}([\w-]{1,15}\s{1,3}){0,3}$"
    r"|(?:(?<![\w,'’]\s)(?<![\w,'’])|\b(I|we)\s{1,3}(then\s{1,3}|also\s{1,3})?)(pushed|pressed|probed|asked|quizzed)\s{1,3}"
    r"((him|her|them)\s{1,3})?(on|about)\s{1,3}([\w-]{1,15}\s{1,3}){0,3}$"
    r"|\b(needed|took|required|had\s{1,3}to)\b[^.;!?]{0,80}\b(before|until|till)\s{1,3}(seeing|realising|realizing|spotting|noticing|grasping)\s{1,3}(that\s{1,3})?([\w'’-]{1,15}\s{1,3}){0,8}$"
    # "Main question: duplicate signups on double-click": the heading of the question set
    r"|(?<![\w,'’]\s)(?<![\w,'’])((main|first|second|third|next|last|final|follow-?up|opening|core|big|design|coding)\s{1,3})?"
    r"(question|scenario|task|exercise|prompt|problem|case)\s{0,2}\d{0,2}\s{0,2}[:–—]\s{0,3}([\w'’-]{1,15}\s{1,3}){0,6}$",
    _FLAGS,
)
"""Before a harm: the interviewer's question ("then I ask how we even know before customers
complain"), the candidate reaching it ("got to the double-booking race only after I walked
her through"), or the interviewer telling it ("I had to describe the double-booked truck
before she saw it was a race", "Pushed on double bookings -> some kind of constraint"), not a
harm the candidate's design causes."""
_NOT_SEEN_AFTER = gated(
    r"(\W{1,4}\w{1,15}){0,2}\W{0,4}((he|she|they|the candidate|candidate)\s{1,3})?(did ?n[’']?t|did not|failed to|could ?n[’']?t|could not|"
    r"took (a while|some time|time|a bit|a minute) to|(was|were) slow to) (see|spot|notice|catch|find|get|recogni[sz]e|identify)\b",
    _FLAGS,
)
"""After a harm: the candidate did not see it at first ("Voucher oversell race - didn't see it
at first"): the harm is the exercise's, set by the interviewer."""
_THE_EXERCISE_AFTER = gated(
    r"\s{0,3}(question|exercise|scenario|problem|prompt|case study|task|puzzle|drill|walk-?through)s?\b", _FLAGS
)
"""After a harm: it names the exercise ("Last-unit oversell question."), set by the interviewer."""
_HEADING_AFTER = gated(
    r"\w{0,3}\s{0,2}:(?![/\\\d])(?!\s{0,3}(yes|yeah|yep|exactly|confirmed|it does|happens|possible|still|that.s (what|how))\b)",
    _FLAGS,
)
_HEADING_BEFORE = gated(
    r"\W{0,3}((?!(it|he|she|they|this|that|his|her|their|its|the|a|customers?|users?|clients?|buyers?)\b)[\w-]{1,15}\s{1,2})?",
    _FLAGS,
)
_TOLD_AS_AN_EVENT = gated(r"\b(\w{2,}ed|sold|oversells|charges|happens|happened|went|got)\b", _FLAGS)


def _heads_its_clause(notes: str, clause: Clause, hit: _Hit) -> bool:
    """A harm named as a noun that heads its clause, a colon after it ("Inventory oversell:
    first answer 'use a transaction'", "Double booking: unique constraint plus retry"), is the
    topic the interviewer set, the way a note's headings name the exercise. Not a harm told as
    what happened ("Customer charged twice: exactly what his retry loop does", "It oversells:
    two checkouts both decrement") nor one affirmed after the colon ("Oversold: yes")."""
    return (
        _HEADING_AFTER.match(notes, hit.end) is not None
        and _HEADING_BEFORE.fullmatch(notes, clause.start, hit.start) is not None
        and _TOLD_AS_AN_EVENT.search(notes, hit.start, hit.end) is None
    )


_UNLESS = gated(r"[^.;!?\n]{0,40}\b(unless|if (you|we|one|the|a|it)|without (an?|the|some)|absent)\b", _FLAGS)
"""After a harm: a condition that names its remedy ("would charge twice unless the consumer dedupes")."""
_RULED_OUT = gated(
    r"(\s{1,3}\w{1,15}){0,2}\s{0,3}(can ?n?[’']?t|cannot|could ?n[’']?t|could not|won[’']?t|will not|would ?n[’']?t|would not|never|"
    r"should ?n[’']?t) (\w{1,10} )?(happen|occur|be possible)\b|(\s{1,3}\w{1,15}){0,2}\s{0,3}(is|are|was|were|becomes?|became) (now )?"
    r"(impossible|ruled out|designed out)\b",
    _FLAGS,
)
"""After a harm: the design rules it out ("Oversell can't happen even if Redis lies")."""


_SOMEONE_ELSES = gated(
    r"\b(in|at|from) ((his|her|their|a|the|one) )?(last|previous|old|former|current|actual|first|prior) (job|role|company|team|employer|gig|place|startup|bank|shop|project|codebase)\b"
    r"|\b(inherited|legacy|a colleague|colleagues?.s|colleagues?|a teammate|another team|other team|"
    r"(a|one|another) (partner|sister|client|customer|vendor|neighbou?ring|downstream|upstream) (team|company|org)|"
    r"their old|(prior|previous|last|old) gig|when (he|she|they) (arrived|got there|started|came in)|"
    r"(the|a|his|her|their) (previous|former|old) (team|devs?|developers?|engineers?|owners?|vendor|maintainers?)|a contractor|someone else|someone had|"
    r"in (a |the |one )?(code )?review|(the )?(starter|existing|given|provided|sample|original|old|skeleton|boilerplate|planted) (\w{1,12} )?(code(base)?|app|application|repo|project|service|handler|controller|class|module|function)|(?<!on )(?<!onto )(the )?(?<!on the )(?<!onto the )(starter|existing|given|provided|sample|original|old|skeleton|boilerplate|planted) (\w{1,12} )?(endpoint|api)|(his |her |their )?prev(ious)?\.? (job|role|company|team|employer|gig)|"
    r"(in|from|during) (a |the |one )?(code )?review|(found|noticed|spotted|caught) (a |his |her |their |one )?(colleague|teammate|junior|contractor)|"
    r"(in|at|on) (his|her|their) (current |own )?(team|company|job|employer|workplace)|"
    r"told (a|the|us a|me a) (story|war story)|told (me|us) about|story (about|from|of)|war story|(went|was|were|had gone) down (because|when|after)|"
    r"(outage|incident|postmortem|post-mortem) (where|when|in which|because|caused by)|(found|discovered|noticed|spotted|inherited|audited|reviewed) (a|an|the|one|some|that|several)\b|"
    r"root[- ]caus\w{0,2}\W{1,3})",
    _FLAGS,
)
_FIX_VERBS = (
    r"(moved|fixed|replaced|rotated|revoked|rewrote|re-?wrote|migrated|switched|pinned|killed|removed|reverted|patched|added|introduced|enforced|"
    r"allow-?listed|whitelisted|parameteri[sz]ed|"
    r"changed (it |them |that |this )?(to|into|over to)|cut (it|them|that|this)( down| back)?|locked (it |them )?down|retired|deprecated|ripped (it |them )?out|got rid of|put (it|them) behind|rolled out|shut (it |them )?down|cleaned (it |them )?up)\b"
)
_FIXED_AFTER_ARROW = gated(
    r"(->|→|=>)\s{0,3}(then |so )?"
    + _FIX_VERBS
    + r"|[:,]\s{0,3}(wrap|re-?hash|migrate|rotate|upgrade|replace|switch|swap|re-?encrypt|revoke)\w{0,3}\b",
    _FLAGS,
)
"""In a bullet: "prev job: API key leaked in a repo -> revoked, rotated, scrubbed history";
a plan after a colon or a comma: "legacy accounts still on unsalted MD5: wrap existing hashes as
bcrypt(md5) now, re-hash to plain bcrypt on next login"."""
_FIXED_IT_OPENS = gated(
    r"\W{0,3}(\d{1,2}[/).]\s{0,2})?(and |then |so )?(fix(es|ed)?\s{0,2}[:=-]|" + _FIX_VERBS + ")", _FLAGS
)
"""A sentence that opens with the fix: "He moved it to Vault.", "4/ fix: connect and read timeouts"."""
_FIXED_IT = gated(
    r"\b(he|she|they|the candidate|candidate)\s{1,3}(also |then |quickly |immediately |eventually )?"
    + _FIX_VERBS
    + r"|\b(he|she|they|the candidate|candidate)\s{1,3}((is|was) the one (who|that) )?(found|traced|tracked|caught|spotted|noticed|flagged|called out|pointed out) (it|this|that|them|the \w{1,15})\b[^.;!?]{0,80}?(\band |, ?)"
    + _FIX_VERBS
    # "Candidate didn't keep it: moved to DELETE": declining what they found is the fix.
    + r"|\b(he|she|they|the candidate|candidate)\s{1,3}(did ?n.?t|did not|refused to|would ?n.?t|would not) (keep|ship|accept|leave|tolerate) (it|this|that|them)\b"
    # "Described finding a check-then-insert in a colleague's code ..., and replacing it with ON CONFLICT"
    # "Found the team had raised the pool to 300, and replaced it with a covering index"
    + r"|(,|\band|\bthen) (and )?(replac(ing|ed)|fix(ing|ed)|rewr(iting|ote)|switch(ing|ed)|mov(ing|ed)|remov(ing|ed)|rework(ing|ed)) (it|them|that|this) (with|to|by|for|behind)\b"
    # "Candidate said that defeats every client retry policy": a critique of what they found.
    + r"|\b(he|she|they|the candidate|candidate)\s{1,3}(immediately |quickly |rightly |correctly )?(said|explained|pointed out|noted|argued) (that )?(this|that|it)\b[^.;!?]{0,12}?\b(defeats?|breaks?|violates?|hides?|masks?|leaks?|is (wrong|dangerous|broken|unsafe|a bug)|would (break|fail|lose|leak|double|corrupt))\b",
    _FLAGS,
)


def _told_as_a_fix(notes: str, clauses: list[Clause], topical: list[_Hit], context: _Cues = _ANYWHERE) -> set[int]:
    """A bad practice told as someone else's, or as the candidate's past system ("in her
    last job the delete endpoint was GET /deleteUser", "a colleague pushed a cloud key to
    a public repo"), in its sentence or the one before, followed later in its sentence or
    in one of the next two by what the candidate did about it ("...; he moved them to
    Vault", "She moved it to DELETE", "Fixed it, pinned the algorithm"), is a story of a
    fix: a strength, not their practice."""
    told: set[int] = set()
    sentences: dict[int, tuple[int, int]] = {}
    for c in clauses:
        first, _ = sentences.get(c.sentence, (c.start, c.end))
        sentences[c.sentence] = (first, c.end)
    for i, hit in enumerate(topical):
        if hit.rule.kind == "strong":
            continue
        sentence = clauses[hit.clause].sentence
        # The finding may open the sentence before: "found the bug in the code review
        # exercise. The handler built the ORDER BY by concatenating...".
        opening = sentences.get(sentence - 1, sentences[sentence])[0]
        if (
            not _may_lie_in(context.someone_elses, opening, hit.end)
            or _SOMEONE_ELSES.search(notes, opening, hit.end) is None
        ):
            continue
        rest = hit.end, sentences[sentence][1]  # "...in a committed .env file; he moved them to Vault"
        if rest[0] < rest[1] and (_FIXED_IT.search(notes, *rest) or _FIXED_AFTER_ARROW.search(notes, *rest)):
            told.add(i)
            continue
        for later in (sentence + 1, sentence + 2):
            if later not in sentences:
                break
            start, end = sentences[later]
            if _FIXED_IT_OPENS.match(notes, start, end) or _FIXED_IT.search(notes, start, end):
                told.add(i)
                break
        else:
            if sentence + 1 in sentences:
                asked, answered = sentences[sentence + 1][0], sentences.get(sentence + 2, sentences[sentence + 1])[1]
                if _DECLINED.search(notes, asked, answered):
                    told.add(i)
    return told


_DECLINED = gated(
    r"\bdid (he|she|they|the candidate) (leave|keep|ship|accept|tolerate) (it|that|this|them)\?\s{0,3}(no|nope|nah|not at all|no way|never)\b",
    _FLAGS,
)
"""Asked and answered: "Did she leave it? No - join table with a composite primary key"."""
_BARE_ANSWER = gated(r"\W{0,3}((?P<yes>yes|yep|yeah|yup|affirmative)|no|nope|nah|not really|negative)\b", _FLAGS)
_ASKS_WHAT_THEY_KNOW = gated(
    r"\b(know|knew|knows|understand\w{0,3}|understood|explain\w{0,3}|read|reads|heard of|familiar|aware|ever|"
    r"(could|can|did|does|do) (he|she|they) (name|use|spot|catch|tell|say|describe|apply|walk)|able to|handled?|covered|got (it|there))\b",
    _FLAGS,
)
"""A question about what the candidate knows or did ("knew when to pick each?", "ever read an
EXPLAIN?"), which a bare yes or no answers. Not one about a practice or a belief ("did he
reach for /v2 every time?", "does he think Node protects him?"): there the answer's sign
and the topic's part ways."""
_ASKS_FOR_A_VERDICT = gated(
    r"\b(hire|hiring|bar|recommend\w{0,6}|offer|vote|verdict|move (him|her|them) forward|proceed|trust|let (him|her|them)|ready|senior enough|overall)\b",
    _FLAGS,
)


_BARE_NO = gated(r"[ \t.!]{0,3}($|\n)")
"""Nothing after a criterion's no ("Meets the bar: no."): the interviewer's verdict."""
_NAMES_A_HARM = gated(
    r"\b(risks?|issues?|problems?|concerns?|bugs?|vulnerab\w{1,6}|red flags?|gaps?|weak\w{0,5}|mistakes?|smells?|anti-?patterns?|flaws?|holes?)\b",
    _FLAGS,
)


def _against_the_criteria(
    notes: str, ruled_out: list[tuple[int, int]], topical: list[_Hit], judged: list[_Hit]
) -> tuple[list[_Hit], list[_Hit]]:
    """The hits of a note whose checklist criteria are answered no ("Stores passwords in plain
    text: no."; `asides.criteria_answered_no`): a practice or a gap a criterion names is
    what the candidate did not show, so it goes; a strength it names stays, to be denied; and
    a strength in a criterion that names a weakness ("Has never profiled a slow query: no",
    "SQL injection risk: no") goes too, since the no denies the weakness, not the strength.
    A hit that runs on past the criterion ("Parameterised queries: no, string concatenation")
    is the annotation's."""
    weaknesses = [
        (start, end)
        for start, end in ruled_out
        if _NAMES_A_HARM.search(notes, start, end)
        or any(
            start <= h.start and h.end <= end and (h.rule.kind != "strong" or h.rule.id.startswith("judgement.gap."))
            for h in (*topical, *judged)
        )
    ]
    kept = [h for h in topical if not _within(weaknesses, h) and (h.rule.kind == "strong" or not _within(ruled_out, h))]
    return kept, [h for h in judged if h.rule.id.startswith("judgement.verdict.") or not _within(ruled_out, h)]


def _within(spans: list[tuple[int, int]], hit: _Hit) -> bool:
    """Whether `hit` lies wholly inside one of `spans` (start, end)."""
    return any(start <= hit.start and hit.end <= end for start, end in spans)


def _after_the_answer(clause: Clause, hit: _Hit, criteria: list[tuple[int, int, int]]) -> Clause:
    """The clause of a hit told after a criterion's "no" ("No strategy for schema design: no,
    starts from access patterns") from that "no" on: the no answers the criterion, it does
    not negate what follows."""
    for _, end, answered in criteria:
        if clause.start <= end and answered <= hit.start < clause.end:
            return clause._replace(start=answered)
    return clause


_NONE_OF_IT = gated(
    r"\W{0,4}(none of (it|them|that|those|these|this|the above|the (two|three|four|five|[2-5]))|nothing of (it|that|the sort)|neither|not one of them|"
    r"not a word)(\s{1,3}((\w{1,15}\s{1,3}){0,3}?(he|she|they)\s{1,3}(had|knew|gave|could\s{1,3}(give|answer|explain))(\s{1,3}an?)?"
    r"\s{1,3}(answer|clue|idea|view)s?(\s{1,3}(for|to|on))?|came\s{1,3}up|rang\s{1,3}a\s{1,3}bell))?\W{0,4}",
    _FLAGS,
)
"""A clause that only denies what the clause before it lists ("Hasn't worked on anything with
concurrent writes, he said. Locking, isolation levels, queues - none of it."): a negation after
the list, where most negations come before it (round 123's ferry lead); "pagination, idempotency,
versioning - none of the three she had an answer for", "cache headers — none of the 3." (round
154; 65 of 65 corpus notes with a dash and "none of" are weak)."""


def _denied_after(notes: str, clauses: list[Clause], index: int) -> bool:
    """Whether the clause after `index`, in its sentence, only denies it (`_NONE_OF_IT`)."""
    following = index + 1
    return (
        following < len(clauses)
        and clauses[following].sentence == clauses[index].sentence
        and _NONE_OF_IT.fullmatch(notes, clauses[following].start, clauses[following].end) is not None
    )


def _answers(notes: str, clauses: list[Clause]) -> dict[int, str]:
    """The interviewer's own questions answered in a word ("Knew when to pick each? Yes.",
    "Ever read an EXPLAIN? No - 'I would if I had to.'"): each clause of such a question,
    with "yes" or "no". A question's topics are no evidence by themselves; answered, they
    are what the answer says of them."""
    answers: dict[int, str] = {}
    for index in range(len(clauses) - 1):
        asked, answer = clauses[index], clauses[index + 1]
        if not asked.question or answer.question or asked.sentence == answer.sentence:
            continue
        said = _BARE_ANSWER.match(notes, answer.start)
        first = index
        while first > 0 and clauses[first - 1].sentence == asked.sentence:
            first -= 1
        if said is not None and _ASKS_WHAT_THEY_KNOW.search(notes, clauses[first].start, asked.end):
            for other in range(index, -1, -1):
                if clauses[other].sentence != asked.sentence:
                    break
                answers[other] = "yes" if said.group("yes") else "no"
    return answers


_INTERVIEWERS_WORDS = gated(
    r"(\b(I|we|the interviewer)\s{1,3}(also\s{1,3})?(showed|show|gave|handed|presented|pasted|shared|put up|pointed (at|to|out)|highlighted|circled)\s{1,3}"
    r"((him|her|them|the candidate)\s{1,3})?|^\W{0,3}(then\s{1,3}|next\s{1,3})?(showed|show|gave|give|handed|pasted|shared)\s{1,3}"
    r"(him|her|them|the candidate)\s{1,3})((a|an|the|some|this|that|our|my)\s{1,3}|(?<=him\s)|(?<=her\s)|(?<=them\s)|(?<=\bI\sshowed\s)|(?<=\bI\sshow\s)|(?<=\bI\spasted\s)|(?<=\bI\sshared\s))(@?\w{1,15}(-\w{1,15})?\s{1,3}){0,2}"
    r"@?(snippets?|code|query|queries|examples?|diffs?|prs?|pull requests?|schemas?|functions?|handlers?|endpoints?|configs?|samples?|"
    r"templates?|pages?|files?|classes?|controllers?|tables?|plans?|migrations?|logs?|traces?|searches|search|reports?|scripts?|concat|lines?|"
    r"repositor(y|ies)|methods?|modules?|components?|views?|forms?|concatenations?|bugs?|vulnerabilit(y|ies)|exploits?|payloads?|flaws?|ones?)\b"
    r"|(^\W{0,3}|\b(I|we|the interviewer)\s{1,3})(asked|asking|questioned|probed)\s{1,3}((him|her|them|the candidate)\s{1,3})?"
    r"(about|on|how|what|whether|if|why|when)\b"
    r"|\b(asked|asking)\s{1,3}((him|her|them|the candidate)\s{1,3})?to\s{1,3}(spot|find|review|check|look\s{1,3}(at|over)|read)\b"  # "asked to spot injection in a JPQL string-concat snippet"
    r"|^\W{0,3}(asked|scenario|question|prompt|setup|set-?up|exercise|task)(\s{0,2}:|\s{1,2}-{1,2}\s|\s{0,2}[–—])\s{0,3}"  # "Asked: an API key shows up in a public repo commit."
    # the question itself, quoted: "once I asked point-blank 'the app retries POST /payments on a timeout, then what?'"
    r"|\b(I|we|the interviewer)\s{1,3}(asked|put it|posed it|put the question)\s{1,3}((him|her|them|the candidate)\s{1,3})?"
    r"((directly|explicitly|specifically|again|point[- ]blank|straight out|outright|plainly)\s{0,3})?[:,]?\s{0,3}['\"‘“]"
    r"|\b(code[- ]review|review|debugging|whiteboard)\s{1,3}(task|exercise|sample|snippet|problem)s?(\s{1,3}(with|containing|that has|where)\b|\s{0,2}[,:;]\s)"
    # "Code review exercise had a string-concatenated query": not a take-home, which is the candidate's
    r"|\b(code[- ]review|review|debugging)\s{1,3}(task|exercise|sample|snippet|problem)s?\s{1,3}(that\s{1,3})?(had|has|contained|contains|included|includes)\b(?!\s{1,3}(him|her|them)\b)"
    r"|\b(first|second|third|next|another|other|last)\s{1,3}(sample|snippet|exhibit|exercise|task)s?\s{1,3}(had|has|with|contain\w{0,3})\b"
    r"|\b(the|this|that|my|our)\s{1,3}(snippet|sample|exhibit)\s{1,3}(had|has|contained|contains|included|includes)\b"
    # "Our schema had tags stored as a comma-separated string": the interviewer's own system
    r"|(?<![\x27\"‘“])\b(my|our)\s{1,3}(schema|template|starter code|table|exercise|query|snippet|sample|example)s?\s{1,3}(had|has|contained|contains|included|includes|builds|built|uses|used)\b"
    # "Shown `subprocess.run(..., shell=True)` at L30 he thought the problem was performance": an
    # exhibit follows (not "Given the choice he would ...")
    r"|^\W{0,3}((when|once|after being|on being)\s{1,3})?(shown|handed|given)\s{1,3}(?=`|((a|an|the|this|that|my|our|some)\s{1,3})(@?\w{1,15}\s{1,3}){0,2}"
    r"@?(snippets?|diffs?|code|quer(y|ies)|samples?|exhibits?|files?|handlers?|functions?|prs?|pull requests?|methods?|classes?|configs?|templates?|schemas?|endpoints?)\b)"
    r"|\b(I|we)\s{1,3}(was|were|am|are|kept)\s{1,3}(waiting|looking|listening|watching|bracing)\s{1,3}((out|myself|ourselves)\s{1,3})?for\s{1,3}"
    r"(\w{1,15}\s{1,3}){0,3}(like|such as|e\.?g\.?)\s"
    r"|\b(I|we)\s{1,3}(expected|was expecting|were expecting|half expected)\s{1,3}(\w{1,15}\s{1,3}){0,3}(like|such as)\s"
    r"|\b(baited|tempted|goaded|provoked|tested|challenged)\s{1,3}(him|her|them|the candidate)\s{0,3}(with\s{1,3}|[:\-–—]\s{0,3})"
    r"|\b(I|we)\s{1,3}(floated|pitched|played devil['’]?s advocate|argued for|pushed for)\s{0,3}([:\-–—]\s{0,3})?"
    r"|\b(I|we)\s{1,3}(offered|suggested|proposed|dangled)\s{1,3}((him|her|them)\s{1,3})?(the|a|an|my)\s{1,3}(shortcut|idea|option|trick|hack|temptation|bait)\s{1,3}(of|to)\s"
    # not when the candidate takes it: "... she took it without a second thought"
    r"(?![^.;!?\n]{0,160}\b(took it|taken it|agreed|went (with|for) it|accepted|was fine with|were fine with|said (sure|yes|ok)|jumped at|liked it|happily)\b)"
    r"|\bdevil['’]?s advocate\s{0,3}[:\-–—]\s{0,3}"
    r"|\b(what['’]?s|what is|what was|whats)\s{1,3}(off|wrong|broken|risky|dangerous|unsafe|bad|fishy)\s{1,3}(about|with|in)\s{1,3}"
    r"|\b(reviewed|reviewing|was given|were given|was shown|were shown|when shown|once shown|when given)\s{1,3}(a|an|the|our|my|some|this|that)\s{1,3}"
    r"(@?\w{1,15}(-\w{1,15})?\s{1,3}){0,2}(snippets?|samples?|prs?|diffs?|pull requests?|functions?|handlers?|specs?|drafts?|quer(y|ies)|code)\b"
    # "- showed her: em.createQuery(\"from User u where u.name = '\" + name ...": the exhibit after a colon
    r"|^\W{0,3}(then\s{1,3}|next\s{1,3}|I\s{1,3}|we\s{1,3})?(showed|show|gave|give|handed|pasted|shared)\s{1,3}(him|her|them|the candidate)\s{0,2}[:–—]\s{0,3}"
    # "The login handler I showed him builds its SQL by string concatenation": the exhibit, then who showed it
    r"|\b(the|a|an|this|that)\s{1,3}(@?\w{1,15}(-\w{1,15})?\s{1,3}){0,2}@?(snippets?|code|quer(y|ies)|examples?|diffs?|prs?|schemas?|"
    r"functions?|handlers?|endpoints?|configs?|samples?|templates?|files?|classes?|controllers?|methods?|migrations?|scripts?)\s{1,3}"
    r"((that|which)\s{1,3})?(I|we)(['’]d|\s{1,3}had)?\s{1,3}(showed|gave|handed|pasted|shared|put up|put on (the\s{1,3})?screen|put in front of (him|her|them))\s{1,3}((him|her|them|the candidate)\s{1,3})?"
    # "In the code review he missed the string-concatenated JPQL": what they missed was in front of them
    # (not "missed the point of", "didn't notice the problem with md5": a practice they would keep)
    # (in a review or exercise only: "in his own service he overlooked the plaintext passwords" is his)
    r"|\b(review|exercise|snippet|sample|diff|pr|pull request|exhibit|walk-?through|the code I|my code)\b"
    r"((?!\b(his|her|their)\s{1,3}own\b|\b(he|she|they)\s{1,3}(wrote|built|shipped|designed)\b)[^.;!?\n]){0,60}"
    r"\b(missed|overlooked|(walked|read|skimmed|scrolled) (straight |right )?past|glossed over|(did\s{1,3}not|didn['’]?t|failed\s{1,3}to)\s{1,3}(spot|notice|flag))\s{1,3}(the|a|an)\s{1,3}"
    r"(?!(problem|issue|risk|danger|harm|point|need|reason|trouble)s?\b)"
    # "here's a 12-line handler, find the issue. — missed the string-concatenated `ORDER BY`": the answer to the exercise
    r"|^\W{0,3}(missed|overlooked|(walked|read|skimmed|scrolled) (straight |right )?past|glossed over|didn['’]?t (spot|notice|flag))\s{1,3}(the|a|an)\s{1,3}"
    r"(?!(problem|issue|risk|danger|harm|point|need|reason|trouble)s?\b)(?![^.;!?\n]{0,60}\b(his|her|their)\s{1,3}own\b)",
    _FLAGS,
)
"""The interviewer's words: what they showed or gave to review ("reviewed a snippet building
SQL with a template literal"), asked ("what's off about the string-built query on the
screen"), set as a task, waited for ("I was waiting for the usual stuff like verbs in urls or
200 with an error body"), or put forward to test the candidate ("Baited him: joins are slow,
just copy the name into orders", "When I offered the shortcut of storing the PIN in plain
text")."""
_EXHIBIT_OPENS = gated(
    r"\b(my|our|the interviewer['’]s|the given)\s{1,3}(\w{1,15}\s{1,3})?(samples?|snippets?|examples?|exercises?|exhibits?|code|"
    r"quer(y|ies)|schemas?|diffs?|prs?|scenarios?|take-?home)\s{0,2}\($"
    r"|\b(with|after|needed|took|given)\s{1,3}(a|an|one|two|three|another|some|my|a\s{1,3}(small|big|gentle|heavy|second)|a\s{1,3}(couple|few)\s{1,3}of)?\s{0,3}(nudge|hint|prompt|pointer|clue)s?\s{0,2}\($",
    _FLAGS,
)
"""Before a parenthesis: the interviewer's exhibit, which the parenthesis describes, or the
hint they gave ("With a nudge (an await between reading a counter and writing it back),
agreed two requests could interleave")."""
_CANDIDATE_IN_PARENTHESES = gated(r"\s{0,2}(and|but|even|though|although|he|she|they|which)\b", _FLAGS)
"""A parenthesis that goes on about the candidate ("Needed a hint (and even then he'd hash the
passwords with md5)"): not the exhibit's words."""
_CODE_OPENS = gated(r"\s{0,3}`")
"""Right after the interviewer's cue, a code span ("Shown `subprocess.run(f\"convert {filename}\",
shell=True)`"): the exhibit runs to its closing backtick, quotes and commas included."""
_BREAK = gated(r"[,:;\"‘“”–—]|(?<!\w)['’]|['’](?!\w)|(?<!\w)-|-(?!\w)")
"""Between the interviewer's cue and the practice: punctuation that ends the exhibit's words (not
the hyphen inside "string-concatenated", nor the apostrophe inside "what's wrong with")."""
_CANDIDATE_SPEAKS = gated(
    r"\b(he|she|they|the candidate|candidate)\s{1,3}(\w{1,10}\s{1,3})?(said|says|answered|replied|proposed|suggested|went with|chose|picked)\b"
    r"|\b(his|her|their)\s{1,3}own\b"
    # "I showed him the diff and his follow-up plan was string-concatenated SQL"
    r"|\b(his|her)\s{1,3}(\w{1,12}[\s-])?(fix|answer|plan|follow-?up|write-?up|proposal|suggestion|version|design|solution|approach|take|rewrite)\b",
    _FLAGS,
)


def _bare(notes: str, clauses: list[Clause], index: int, topical: list[_Hit], whole_clause_gap: bool = False) -> bool:
    """Whether clause `index` names no topic of its own: at most four words ("could not
    continue", "no idea"), a gap that is the whole clause ("not sure if it is set"), or
    words that point back ("none of it came up", "nothing on any of the three")."""
    clause = clauses[index]
    if any(h.clause == index for h in topical):
        return False
    return (
        whole_clause_gap
        or len(notes[clause.start : clause.end].split()) <= 4
        or bool(_POINTS_BACK.search(notes, clause.start, clause.end))
        or bool(_POINTS_BACK_FIRST.match(notes, clause.start, clause.end))
    )


_POINTS_BACK_FIRST = gated(r"\W{0,3}(it|this|that)\s{1,3}(was|is|were|wasn.?t|isn.?t)\b", _FLAGS)
"""A gap about what was just said: "- it was not clear for him"."""
_POINTS_BACK = gated(
    r"\b(any|all|none|either|each|neither|nothing on any) of (the|these|those|them|it|that)( (two|three|four|five))?\b",
    _FLAGS,
)


def _put_by_interviewer(notes: str, clause: Clause, hit: _Hit, context: _Cues = _ANYWHERE) -> bool:
    """Whether a poor practice is told in the interviewer's own words, as what they asked
    about or showed ("Asked about changing the API without breaking clients", "when I
    showed a snippet concatenating a username into a query he didn't see the issue"): what
    the candidate made of it is told elsewhere, and the practice is not theirs."""
    # The cue may run into the match ("showed him a template rendering a user comment with
    # th:utext"); between them, no break and at most 80 characters, unless a code span opens
    # right after the cue and the match lies inside it (`_CODE_OPENS`).
    if _ends_in_what_was_shown(notes, clause, hit, context):
        return True
    if (
        notes[clause.start - 1 : clause.start] == "("
        and _EXHIBIT_OPENS.search(notes, max(0, clause.start - 60), clause.start)
        and not _CANDIDATE_IN_PARENTHESES.match(notes, clause.start)
    ):
        return True  # "in my sample (ticket lookup by barcode, SQL built with string concat)"
    if not _may_lie_in(context.interviewers_words, clause.start, hit.end):
        return False  # what the search below finds, without searching: most poor practices
    text = notes[clause.start : hit.end]  # "^" is the clause's start
    start = hit.start - clause.start
    cues = [cue for cue in _INTERVIEWERS_WORDS.finditer(text) if cue.start() < start]
    if not cues:
        return False
    between = min(cues[-1].end(), start)
    if _CANDIDATE_SPEAKS.search(text, cues[-1].end()) is not None:
        return False
    if _CODE_OPENS.match(text, between) is not None and text.count("`", between, start) == 1:
        return True
    if text[cues[-1].start() : cues[-1].end()].rstrip()[-1:] in (":", "–", "—") and "\n" not in text[between:start]:
        return True  # "showed her: em.createQuery(\"... '\" + name + \"'\")": the exhibit runs to the line's end
    # Searched past `start`, not cut there: whether a hyphen just before the match is a break
    # depends on the character after it ("string-concatenated" is one word).
    broken = _BREAK.search(text, between)
    return start - between <= 80 and (broken is None or broken.start() >= start)


def _ends_in_what_was_shown(notes: str, clause: Clause, hit: _Hit, context: _Cues = _ANYWHERE) -> bool:
    """Whether a poor practice found across two ideas ends in the words of what the
    interviewer showed: 'got to "use parameterised queries" only after I showed the
    string-concat query' pairs the candidate's fix with the interviewer's exhibit. A pair's match
    may run on into the next clause of its sentence ("SQL injection - only after I showed a
    string-concatenated query"): the exhibit is read to that sentence's end."""
    end = clause.end
    if hit.end > end:
        stop = _SENTENCE_STOP.search(notes, hit.end)
        end = stop.start() if stop is not None else len(notes)
    if not _may_lie_in(context.interviewers_words, hit.start, end):
        return False
    return any(cue.start() < hit.end <= cue.end() for cue in _INTERVIEWERS_WORDS.finditer(notes[:end], hit.start + 1))


_SENTENCE_STOP = gated(r"[.;!?\n]")


_ASK_THE_READER = gated(
    r"\W{0,3}((if|when|once) you\s{1,3}|you['’]d\s{1,3}|you would\s{1,3})?(ask|push on|probe|press)\b", _FLAGS
)
_I_ASKED = gated(
    r"\W{0,3}(((when|after|once|then|so)\s{1,3})?((I|we)\s{1,3}(first\s{1,3}|then\s{1,3}|also\s{1,3}|next\s{1,3})?(asked|ask)|asked)|ask"
    r"|(on|to|at|after)\s{1,3}(my|our)\s{1,3}(follow-?up\s{1,3})?question)\s{1,3}((him|her|them|the candidate)\s{1,3})?"
    r"(about|how|what|whether|if|why|when|which|where)\b",
    _FLAGS,
)
_I_GAVE = gated(
    r"\W{0,3}((then|so|first|next)\s{1,3})?(I|we)\s{1,3}(then\s{1,3}|first\s{1,3}|also\s{1,3})?(gave|showed|described|drew|presented|posed|set up)"
    r"\s{1,3}((him|her|them|the candidate)\s{1,3})?(the|a|an|my|our)\b",
    _FLAGS,
)
"""The interviewer's exhibit ("I gave the lost update example with the ride credits"): a topic
in it is the interviewer's, until the candidate's answer starts."""
_CANDIDATE_SUBJECT = gated(
    r"\b(he|she|they|the candidate|candidate|c)\b(?!\s{1,3}(would|should|could|might)\b|['’]d\b)|[:;→—–]|->|\s-\s"
    r"|(,|\band\b)\s{0,3}((?!(I|we|then)\b)\w{1,12}\s{1,3}){0,3}?(proposed|suggested|answered|designed|wrote|sketched|added|went|identified|found|"
    r"spotted|described|explained|chose|picked)\b(?![^.;]{0,40}\b(myself|ourselves|when (he|she|they) stalled|as a hint)\b)",
    _FLAGS,
)
"""After the interviewer's question, where the candidate's answer starts: their pronoun, a
colon or dash ("once I asked how he'd know the numbers match: daily diff per exchange"), or
a verb of theirs in a note that leaves the subject out ("and within a minute identified")."""
_THE_READER_GETS = gated(r"\byou(['’]ll|['’]d| will| would)?\s{1,3}(get|hear)\b", _FLAGS)


def _asked_of_the_reader(notes: str, clause: Clause, hit: _Hit, context: _Cues = _ANYWHERE) -> bool:
    """Whether a match lies in a question the note tells its reader to ask, before the answer
    they will get ("Ask him to walk through how CSRF works against a cookie-authenticated
    endpoint and you'll get XSS described instead"), or in the interviewer's own question
    before the candidate says anything ("I asked about their monitoring setup."): the topic
    is the question's."""
    asked = _I_ASKED.match(notes, clause.start, hit.start) or _I_GAVE.match(notes, clause.start, hit.start)
    if asked is not None and _CANDIDATE_SUBJECT.search(notes, asked.end(), hit.start) is None:
        return True
    return (
        _may_lie_in(context.reader_gets, hit.end, clause.end)
        and _ASK_THE_READER.match(notes, clause.start, hit.start) is not None
        and _THE_READER_GETS.search(notes, hit.end, clause.end) is not None
    )


_ECHOED = gated(
    r"\W{0,4}(yes|yeah|yep)\W{1,3}(we|they|you|i|he|she|it)\s{1,3}(would|do|does|did|will|can|could|are|is|were|was)\b",
    _FLAGS,
)
"""After a bare "Yes": "Yes we would" agrees with something just quoted; no verdict on the candidate."""
_YES = gated(r"\W{0,4}(yes|yeah|yep)\W{0,4}", _FLAGS)


def _echoed(notes: str, hit: _Hit) -> bool:
    """Whether `hit` is a bare "Yes" that the next words echo ("Yes. Yes we would.")."""
    return _YES.fullmatch(notes, hit.start, hit.end) is not None and _ECHOED.match(notes, hit.end) is not None


def _answers_a_question(notes: str, clauses: list[Clause], hit: _Hit) -> bool:
    """A bare "Yes" or "No" right after the interviewer's question answers it ("Did she leave
    it? No - join table...", "Does he think Node protects him? Yes, firmly"): a verdict only
    when the question asks for one ("Would I hire him? No.")."""
    index = hit.clause
    if index == 0 or not clauses[index - 1].question or clauses[index].question:
        return False
    if _BARE_ANSWER.match(notes, hit.start) is None:
        return False
    asked = clauses[index - 1]
    return _ASKS_FOR_A_VERDICT.search(notes, asked.start, asked.end) is None


_REMEDY = gated(
    r"\b(would|will|[’']d|should) (instead |rather |then )?(switch|swap|move (it|them|that)|replace (it|them|that)|offload (it|them)|push (it|them))\b"
    # "...loses events silently if the process dies between the two, so they write to an outbox table"
    r"|\bso (they|he|she|we) (write|use|route|put|store|publish|relay|send)\w{0,2} (\w{1,12} ){0,3}(to |into |through |via )?(an? |the )?(outbox|same transaction|transactional outbox)\b"
    # "The tenant_id arrives in the body, but the service ignores it and takes the tenant from the token"
    r"|\bbut (the |our |his |her |their )?(service|server|backend|api|handler|endpoint|controller)\s{1,3}(ignores|discards|overrides|overwrites|never trusts|does ?n.?t trust|does not trust)\s{1,3}(it|them|that)"
    r"\s{1,3}and\s{1,3}(takes|uses|derives|reads|gets|looks up)\b[^.;!?\n]{0,60}\bfrom\s{1,3}(the\s{1,3})?(token|session|jwt|auth\w{0,10}|claims?|principal|identity)\b"
    # "no on-call rotation at her current job, so she set one up with runbooks"
    r"|\bso (they|he|she|the candidate) (set|stood|built|introduced|created|rolled|drew|designed)( up)? one( up| in place| together| out)?\b"
    r"|\bso (they|he|she|the candidate) (set|put|wrote|added)( up)? one (up|in place)\b"
    r"|\bso (they|he|she|the candidate) (set up|added|wrote|built|introduced|created) them\b(?! (in|into|to|on) (the |a |an )?(repo|image|config|code|docker\w{0,8}|git|env))"
    # "she'd drop the ones that seem unused, but only after verifying on the replica",
    # "would drop the ones that look unused, but first check idx_scan on every replica"
    r"|\b(only (after|once) (\w{1,12} ){0,2}(verifying|checking|confirming|testing|measuring|monitoring|watching)"
    r"|but (\S{1,12} ){0,2}?first (check|verify|confirm|look at|measure|watch|monitor)\w{0,3}) (\w{1,12} ){0,3}?"
    r"(usage|idx_scan|pg_stat\w{0,24}|(the |a )?replicas?|staging|(the |its |their )?stats|the (index|indexes|query|queries|plan|logs))\b"
    # "ORDER BY column + direction come from the query string -> can't be bind params -> allowlist map"
    r"|(->|→|=>)\s{0,3}(\w{1,12}\s{1,3}){0,2}(an?\s{1,3}|the\s{1,3})?(allow-?list\w{0,3}|white-?list\w{0,3}|parameteri[sz]\w{1,4}|bind (params?|parameters|variables)|prepared statements?|setparameter)\b",
    _FLAGS,
)


def _remedied(notes: str, clauses: list[Clause], topical: list[_Hit]) -> set[int]:
    """A bad practice followed in its sentence by the fix the candidate would make ("a
    blocking requests.get inside async def stalls the event loop; would switch to
    httpx.AsyncClient") is one they explain, not one they keep."""
    remedied: set[int] = set()
    for i, hit in enumerate(topical):
        if hit.rule.kind == "strong":
            continue
        sentence, end = clauses[hit.clause].sentence, clauses[hit.clause].end
        if hit.clause + 1 < len(clauses) and clauses[hit.clause + 1].sentence == sentence:
            end = clauses[hit.clause + 1].end
        if _REMEDY.search(notes, hit.end, end):
            remedied.add(i)
    return remedied


_USED_TO = gated(
    r"\b((?<!s )(?<!\bis )(?<!are )(?<!got )(?<!get )used to|back (then|in the day)|in (his|her|their|my) (first|old|previous|early|junior) (job|role|days|years)"
    r"|(at|in) (his|her|their) first (job|company|role))\b",
    _FLAGS,
)
_NOT_ANY_MORE = gated(
    r"\b(not any ?more|no longer|these days|nowadays|now (uses?|prefers?|reaches for|goes for)|since then)\b"
    # not "these days still does", "nowadays sha1"
    r"(?!\W{0,3}(\w{1,12}\W{1,3}){0,3}?(still|the same|too|more|uses? it|does that|was fine|md5|sha-?1|plain ?text|console\.log|print\w{0,5})\b)",
    _FLAGS,
)
_OUTGROWN_REACH = 2
"""How many sentences after the practice "not anymore" may come: in a dialogue the answer
follows the question ("Me: you said you used to debug with console.log / C: first job, yes.
not anymore - pino, JSON out")."""


def _outgrown(notes: str, clauses: list[Clause], topical: list[_Hit]) -> set[int]:
    """A poor practice the candidate did in the past and has left ("used to debug with
    console.log in his first job, not anymore: pino with request ids") is a lesson learnt,
    not a practice they keep: told in the past ("used to", "in her first job") and left in
    the present ("not anymore", "now uses", "these days")."""
    outgrown: set[int] = set()
    for i, hit in enumerate(topical):
        if hit.rule.kind == "strong":
            continue
        sentence = clauses[hit.clause].sentence
        start = min(c.start for c in clauses if c.sentence == sentence)
        if not _USED_TO.search(notes, start, hit.start):
            continue
        end = max(c.end for c in clauses if c.sentence <= sentence + _OUTGROWN_REACH)
        if _NOT_ANY_MORE.search(notes, hit.end, end):
            outgrown.add(i)
    return outgrown


def _alarm_flag(notes: str, clauses: list[Clause], hit: _Hit, written: str, defended: bool = False) -> wire.Signal:
    """A weak note in which the interviewer sounds the alarm ("yikes", "a red flag") or
    tells the harm the candidate's design does ("that's how you charge someone twice",
    "the table was locked and checkout was down for 40 minutes") shows a red flag, even
    when the practice is in words no lexicon lists: interviewers keep those words for
    red flags. The quote is the alarm's clause, or the one before when the alarm is a
    word or two on its own ("... backfill later from the backups. yikes."). A defence
    (`defended`: "thinks it's fine b/c HTTPS") is quoted with the practice before it."""
    clause = clauses[hit.clause]
    if defended:
        hit = hit._replace(start=clause.start, end=clause.start)  # a long clause: what is defended comes first
    if hit.clause > 0 and len(notes[clause.start : clause.end].strip(" .;,!?-–—()")) < 20:
        first = _past_short_clauses(notes, clauses, hit.clause - 1)
        clause = clauses[first]
        hit = _Hit(first, clause.start, clause.end, hit.rule)
    elif hit.clause > 0 and (defended or _CONSEQUENCE_OPENS.match(notes, clause.start)):
        # "...copies prod to his laptop nightly; it went down for 10 minutes": the practice is before.
        first = _past_short_clauses(notes, clauses, hit.clause - 1)
        practice = clauses[first]
        clause = practice._replace(end=clause.end)
        hit = _Hit(first, practice.start, practice.end if defended else clause.end, hit.rule)
    return wire.Signal(kind="red_flag", signal=hit.rule.id, quote=_quote(written, clause, hit))


def _past_short_clauses(notes: str, clauses: list[Clause], index: int) -> int:
    """The clause at `index`, or up to two before it when it is a word or two ("cand.", "nope.")."""
    first = index
    while first > 0 and index - first < 2 and len(notes[clauses[first].start : clauses[first].end].strip()) < 12:
        first -= 1
    return first


_CONSEQUENCE_OPENS = gated(r"\W{0,3}(it|that|which|this|so|and|then|the result|result)\b", _FLAGS)


_CORRECTED = gated(
    r"\b(corrected (it|him|her|them)(self|selves)?|self-correct\w{0,3}|caught (him|her|them)sel\w{1,3}|walked it back|fixed it (right away|immediately)|"
    r"qualified (it|that|this|the claim|(his|her|their) (answer|claim|statement)) (him|her|them)sel(f|ves)"
    # moved off a first answer with help: "took 3 hints to get off 'return the whole list'" (6 of 6 in the corpus weak, no red flag)
    r"|(took|needed|required) (\w{1,10} ){0,3}(hints?|nudges?|prompts?|pushes|tries|goes|rounds|attempts) (\w{1,10} )?"
    r"to (get|move|talk|steer|pull|budge|shift) ((him|her|them) )?(off|away from|past|out of)"
    r"(?![^.;!?\n]{0,120}\b(even then|still|only to|but then|and then (he|she|they) (proposed|suggested|went|insisted))\b))\b",
    _FLAGS,
)
"""The candidate corrected their own answer, or was moved off it: the sentence holds an answer
they left behind, not a practice they would ship (`_moved_on_from`)."""


_REACHED_WITH_HELP_BEFORE = gated(
    r"\b(got|came|moved|arrived|switched|landed|ended up|reached)\s{1,3}((round|around)\s{1,3})?((to|on|at)\s{1,3})?[^.;!?\n()]{1,60}"
    r"\b(after|with)\s{1,3}(\w{1,10}\s{1,3}){0,2}(hints?|nudges?|prompts?|pushes|prodding|help)\s{0,2}[(—–-]\s{0,2}$",
    _FLAGS,
)
"""Before a first answer told in an aside: the answer the candidate reached with help ("Got to
optimistic locking after two hints (first answer was synchronized on the service method"): the
first answer is one they left behind."""
_FIXED_WITH_HELP = gated(
    r"\W{0,3}(after|with|following) (some|a (bit of|little|few)|more|further|a lot of|lots of|heavy|several|two|three|my|our)\s{1,3}"
    r"(discussion|prodding|pushing|nudg\w{1,4}|hints?|help|back and forth|prompts?|prompting|questions)\b,?\s{1,3}"
    r"(he|she|they|the candidate|candidate)\s{1,3}(then\s{1,3})?(added|switched|moved|changed|fixed|introduced|reached|landed|arrived|got|came)\b",
    _FLAGS,
)
"""A sentence that opens with the candidate's fix, reached with help: the sentence before was
their first answer."""
_DEFENDED_IN_QUOTES = gated(
    r"[^.!?\n\"“]{0,40}[;,:(\-–—]\s{0,3}(\w{1,12}\s{1,3}){0,3}(?P<near>[\"“][^\"”\n]{3,80}[\"”]|['‘][A-Za-z][^'’\"”\n]{2,80}['’])"
    r"|[^.;!?\n\"“]{0,120}(,|\b(because|since))\s{0,3}"
    r"(?P<late>[\"“][\w'’-]{1,20}(\s{1,3}[^\"”\s]{1,20}){2,15}[\"”])"
    r"|[^.!?\n\"“]{0,40}\s(?P<after>[\"“]so\s{1,3}(that\s{1,3})?[\w'’-]{1,20}(\s{1,3}[^\"”\s]{1,20}){1,15}[\"”])",
    _FLAGS,
)
""""...in place when the domain changes; mobile \"updates every week anyway\"": the candidate's
reason, quoted (in single quotes too: "no idempotency key, because 'a timeout means it didn't go
through'"), in the practice's sentence, after a pause or a "because" ("stopped taking base backups
because "the standby is a full copy""), up to 120 characters on: a run-on sentence gives its
reason late ("GET /units/{id}/trip so the control room can fire them from a bookmark or a browser
tab, "GET is the easiest thing to call""): that far, only words in double quotes, three or more,
after a comma or "because" and within the clause (not a value named in passing: "fallback returns
'pending'"; not what he "said" on another topic after a semicolon); or such a quote right after the
practice, as bullets give it, when it opens with "so" ("returns 200 {} "so the driver never
sees an error screen""; not "a scanner on commits "because people do paste keys"", the reason
for a safeguard).
Not when a fix comes first (`_defended_in_quotes`)."""


def _defended_in_quotes(notes: str, hit: _Hit) -> bool:
    """Whether the candidate's quoted words defend the practice at `hit` (`_DEFENDED_IN_QUOTES`),
    with no fix or warning between the practice and the quote's opening (the quote's own words may
    say "we added it to the image"): "they logged full bodies, then added a redaction filter,
    "never again"" quotes a lesson, not a defence."""
    quoted = _DEFENDED_IN_QUOTES.match(notes, hit.end)
    if quoted is None:
        return False
    opens = next(quoted.start(name) for name in ("near", "late", "after") if quoted.group(name) is not None)
    return not (_FIXED_AFTER.search(notes, hit.end, opens) or _WARNED.search(notes, hit.end, opens))


def _defended_inside_its_quote(notes: str, clauses: list[Clause], hit: _Hit) -> bool:
    """Whether the practice at `hit` is in the candidate's own words, in double quotes, and the
    same quote gives their reason for it ("\"Drone controller tokens never expire, because the
    units sit in a shed all winter ... keeps the auth service simple.\""), with no warning or fix
    in the quote or the sentence after it, and no one else named as its speaker ("quoted the old
    team lead: ..."): a practice they defend, however the interviewer's verdict praises something
    else after it."""
    paragraph = max(0, notes.rfind("\n\n", 0, hit.start))
    before = notes[paragraph : hit.start]
    if (before.count('"') + before.count("“") - before.count("”")) % 2 == 0:
        return False
    opens = max(notes.rfind('"', 0, hit.start), notes.rfind("“", 0, hit.start))
    if _SOMEONE_ELSE_SAID.search(notes, max(0, opens - 60), opens):
        return False
    closes = min((i for i in (notes.find('"', hit.start), notes.find("”", hit.start)) if i >= 0), default=-1)
    if closes < 0 or closes - hit.start > 400:
        return False
    after = [c for c in clauses if c.sentence == _sentence_at(clauses, closes) + 1]
    told_until = after[-1].end if after else closes
    return (
        bool(_REASON_IN_QUOTE.search(notes, hit.start, closes))
        and not _WARNED.search(notes, hit.start, told_until)
        and not _FIXED_AFTER.search(notes, hit.start, told_until)
        and not _LEFT_BEHIND.search(notes, hit.start, told_until)
    )


_LEFT_BEHIND: Final = gated(
    r"\b(weak(est)?\s{1,3}(part|point|spot|link)|proposed|would\s{1,3}(now\s{1,3})?(change|fix|move|replace|drop)"
    r"|(i.?m|we.?re|is|are)\s{1,3}(replacing|removing|retiring|moving)|wrong\s{1,3}call|since\s{1,3}then|now\s{1,3}(they|we|he|she|it)\b)",
    _FLAGS,
)
"""In the quote or the sentence after it: the practice turned from, not defended."""


_SOMEONE_ELSE_SAID: Final = gated(
    r"\b(quot\w{1,3}|said|says|told|wrote|according to)\s{1,3}(the|his|her|their|a|an|our)\s{1,3}"
    r"(old\s{1,3}|former\s{1,3}|previous\s{1,3}|then\s{1,3})?(team\s{1,3}lead|lead|manager|boss|cto|ceo|colleague|architect|vendor|docs?|"
    r"team|predecessor|client|customer)\b",
    _FLAGS,
)
_REASON_IN_QUOTE = gated(
    r"\b(because|so that|so (we|it|they|nobody|no one|you)\b(?! (had|have|has|were|was)\b)|keeps? (it |things |everything |the [\w-]{1,20} )?"
    r"(simple|simpler|fast|cheap|easy)|saves?|we (do ?n.?t|don.?t) (want|need)|no need)\b",
    _FLAGS,
)
"""A reason in the candidate's quoted words, after the practice they name in the same quote."""


_WARNED = gated(
    r"\b(risk\w{0,3}|danger\w{0,4}|warn\w{0,4}|clear about|problem\w{0,1}|mistake|wrong|lesson|shouldn.?t|should not|never again)\b",
    _FLAGS,
)
"""Between a practice and a quote: a warning ("he was clear about the risk, saying "an image is a
public artefact sooner or later""): the quote is the lesson, not a defence."""


_ENDORSEMENT = gated(
    r"\b(he|she|they|the candidate)\s{1,3}("
    r"(really\s{1,3}|quite\s{1,3}|particularly\s{1,3}|clearly\s{1,3})?(likes?|liked|loves?|loved|prefers?|preferred|appreciates?|appreciated)\s{1,3}(that|how|the fact)\b"
    r"|(sees?|saw|views?|viewed|regards?|regarded|counts?|counted)\s{1,3}(it\s{1,3}|this\s{1,3}|that\s{1,3}|them\s{1,3})?as\s{1,3}(a\s{1,3}|an\s{1,3})?(feature|strength|defen[cs]e in depth|self-healing|belt and braces|simpler|robust\w{0,4}|resilien\w{1,4}|safe\w{0,5}|fine|good enough|harmless|pragmatic)\b"
    r"|(was|is|were|are|seemed|seems)\s{1,3}(quite\s{1,3}|very\s{1,3}|really\s{1,3}|clearly\s{1,3}|perfectly\s{1,3})?(proud|pleased|comfortable|happy|content|ok|okay|fine)\s{1,3}(that|with\s{1,3}(that|it|this)\s{1,3}because|with\s{1,3}(that|it|this)\s{0,2}([,;:.!]|$)|about\s{1,3}(that|it|this)\s{1,3}because)"
    r"|(has|have|had)\s{1,3}never\s{1,3}(felt|seen|had)\s{1,3}(the|a|any)\s{1,3}need"
    r"|(did\s{0,2}n.?t|does\s{0,2}n.?t|did not|does not|never)\s{1,3}(see|feel|felt|saw)\s{1,3}(the|a|any)\s{1,3}need"
    r"|consider(s|ed)?\s{1,3}(it|this|that|them)\s{1,3}(to be\s{1,3})?(unguessable|safe enough|secure enough|good enough|fine|harmless|a feature)\b"
    r")|\b((he|she)[’']?s|they[’']re)\s{1,3}(quite\s{1,3}|very\s{1,3}|perfectly\s{1,3})?(comfortable|happy|fine|proud|ok|okay)\s{1,3}(with|of)\s{1,3}(that|it|this)\b"
    r"|\b(he|she|they|the candidate)\s{1,3}(said|says|mentioned|noted|notes|pointed out|points out|added|told me)\s{1,3}(that\s{1,3})?"
    r"(it|this|that)(\s{1,3}(has|had)|[’']s)\s{1,3}(run|been running|worked|been working|held up)\s{1,3}(\w{1,12}\s{1,3}){0,2}?"
    r"(reliably|fine|flawlessly|without (a |any )?(problem|issue|incident|hitch)s?)\b"
    r"|(\b(he|she|they|the candidate)\s{1,3}|,?\s{0,2}\band\s{1,3})(said|says|thinks?|thought|argued|figured)\s{1,3}(that\s{1,3})?([\w-]{1,20}\s{1,3}){0,4}(is|are)\s{1,3}"
    r"(fine|ok|okay|safe|harmless)\s{1,3}to\s{1,3}(leave|keep|expose|return|send|skip|ship|log|store)\b",
    _FLAGS,
)
"""The candidate's approval of a practice told in its sentence ("... retried again at every
layer above, which he sees as defence in depth"; "... Kubernetes restarts the pod; he likes
that the system is self-healing"; "he's comfortable with that because Node runs one thing at
a time"): the practice is theirs and they would ship it again, however warmly the note praises
the rest; "... it has run reliably for two years", the track record they rest it on (round 117's
quiet-hazard voice); "... and said passwordHash and resetToken are fine to leave on it" (round
121)."""
_JUSTIFIED = gated(
    r"\b((because|b/c|as(?=\s{1,3}(the|a|an|it|they|he|she|we|our|their|its|nobody|no one|anything|everything|all|every)\b)|since(?!\s{1,3}(then|ever|\d|last|early|before|after|day one|launch|v\d|the (outage|incident|breach|"
    r"migration|move|switch|rewrite|launch|start|beginning|last|fix|change|upgrade|refactor|redesign|release))))"
    r"(?=[^.;!?\n]{0,100}\b(already|anyway|private|internal|trusted|too many|simpler|easier|cheaper|avoids?|saves?|"
    r"usually|rarely|faster|fast|only (ever )?\w{1,12}|(is|are|were|was) (all )?(ours|fine|enough)|sticky|never (reads?|sees?|sends?|uses?|touch\w{0,2}|calls?|happens?)|"
    r"costing|slowing|slows|slowed|doubl(es|ed|ing))\b)"
    r"|on\s{1,3}the\s{1,3}(grounds|reasoning|basis|theory)\s{1,3}that"
    r"|so\s{1,3}(that\s{1,3})?([\w'’-]{1,20}\s{1,3}){1,7}?(do ?n.?t|does ?n.?t|never|won.?t|can.?t|cannot) (get|have to|need to|lose|expire|time out|stops?|blocks?|breaks?|halts?|holds? up|kills?|crash(es)?|fails?)\b"
    r"|(which|that)\s{1,3}(he|she|they)\s{1,3}(chose|picked|went with|decided on|prefers?|preferred)\b"
    r"|(which|that|and)\s{1,3}(he|she|they)\s{1,3}(finds?|found|considers?|considered|calls?|called)\s{1,3}(it\s{1,3})?"
    r"(much\s{1,3}|far\s{1,3}|a lot\s{1,3})?(simpler|easier|faster|cheaper|cleaner|good enough|pragmatic|acceptable|safe enough)"
    r"|anyway"
    r"|so\s{1,3}(that\s{1,3})?(the\s{1,3}|a\s{1,3}|each\s{1,3}|every\s{1,3})?([\w-]{1,20}\s{1,3}){1,3}?"
    r"((stays|remains|keeps) (fast|quick|responsive|simple|cheap|low|small|up|available)|goes through|is protected))\b",
    _FLAGS,
)
"""The candidate's reason for a practice, told after it in its sentence ("copies the .env file
into the image at build time, since the registry is private"; "decode the JWT without checking
the signature because the gateway already verified it"; "ddl-auto=update, which he finds simpler
than keeping Flyway scripts in step"; "hands records to a thread pool so the poll loop stays
fast"; "because AOF was costing latency"; "on the grounds that expand/contract doubles the
release count"; "so engineers offshore don't get logged out", "so the lock can't expire underneath a long job", "so one bad record doesn't stop the rest"): a practice defended with a reason
is one they chose and would ship again, as much as one
they approve of in words (round 121's fluent expert, whose every red flag came with its reason
and none was read as one). Not "since" of time ("since the outage")."""
_CHOSEN = gated(
    r"\b((which|that)\s{1,3}(he|she|they)\s{1,3}(chose|picked|went with|decided on|prefers?|preferred)"
    r"|(which|that|and)\s{1,3}(he|she|they)\s{1,3}(finds?|found|considers?|considered|calls?|called)\s{1,3}(it\s{1,3})?"
    r"(much\s{1,3}|far\s{1,3}|a lot\s{1,3})?(simpler|easier|faster|cheaper|cleaner|good enough|pragmatic|acceptable|safe enough)"
    r"|(because|since|as)\s{1,3}[\"“‘'])"
    r"|[\"“](because|since|cos|cuz)\s[^\"”\n]{0,60}\b(secret|private|internal|nobody|no\s{1,3}one|never|only|trusted|fine|safe|"
    r"enough|easier|simpler|faster|anyway|behind|vpn|firewall|https|tls|hidden|obscure)\b",
    _FLAGS,
)
"""The reasons that make a practice the lexicons call only weak a red flag: a choice said in
words or the candidate's own words quoted (not a bare "anyway": "because the row is already there
anyway" states a fact that makes the practice right), or a quote that opens with the reason and
reassures ("no signature check \"because the URL is secret\"", round 145; not "a scanner on
commits \"because people do paste keys\"", the reason for a safeguard). A plain "because" is not
enough there: "logs it at debug and acknowledges it, because the row already exists" is a sound
reason for a practice the lexicon reads broadly; it still keeps a red flag from being read as a
story (`_JUSTIFIED`)."""


_TURNED_FROM = gated(
    r"\b(replac\w{1,4}|mov(e|ed|es|ing)|migrat\w{1,4}|switch\w{1,4}|fix\w{0,3}|chang\w{1,4}|rewr\w{1,5}|remov\w{1,4}|"
    r"until|since|used to|now|instead|flagged|talked|pushed|but|however|though|although|less safe|unsafe|risk\w{0,3})\b",
    _FLAGS,
)
"""Between a practice and an approval: the practice replaced, fixed or turned from ("he moved
them to S3, and that has worked flawlessly since"; "which he sees as simpler than cookies but less
safe"): the approval is of something else."""
_PROPOSED = gated(r"\b(propos\w{1,5}|suggest\w{1,5}|recommend\w{1,5}|would)\b", _FLAGS)
"""Between a practice and a reason: the candidate's proposal ("..., and he would mount it at runtime
from the secret store so keys don't get baked into layers"): the reason is the proposal's."""
_CRITICISED = gated(
    r"\b(called|calls|considers?|considered|sees?|saw)\s{1,3}(it\s{1,3}|that\s{1,3}|this\s{1,3})?"
    r"(dangerous|risky|a risk|a problem|a mistake|wrong|unsafe|the first thing to (change|fix))\b",
    _FLAGS,
)
"""After a practice in its sentence: the candidate's criticism of it ("which he called dangerous
because rotating a leaked key then means a rebuild"): no reason in that sentence is theirs for it."""
_REASON_REACH = 120
"""How far past a practice its reason is looked for: a reason follows the practice it defends."""
_SET_APART = gated(r"[:(\u2013\u2014]|\s-\s", _FLAGS)
"""Between a practice and a reason, a dash, colon or parenthesis: the reason belongs to what
follows it ("Promise.all over 5k items opens 5k sockets - suggested a cap, and said the
downstream rate-limits anyway"), the candidate's fix, not the practice."""
_FIXED_AFTER = gated(
    r"\b(replac\w{1,4}|fix(ed|es|ing)|added|introduc\w{1,4}|put\s{1,3}[^.;]{0,30}\s{1,3}in front|wrote\s{1,3}the\s{1,3}rfc|"
    r"moved|migrat\w{1,4}|switch(ed|es|ing)|adopted|swapp\w{1,3}|rewr(ote|ites|itten|iting)|(is|are)\s{1,3}(replacing|moving|removing))\b",
    _FLAGS,
)
"""After a practice's reason in its sentence, a fix ("... because the nightly reindex fixes drift
anyway; he replaced that with an outbox"): the reason was the old team's, the practice is gone."""
_FIX_BETWEEN = gated(
    r"\b(he|she|they|the candidate)\s{1,3}(then\s{1,3}|later\s{1,3}|quickly\s{1,3})?"
    r"(replaced|fixed|moved|migrated|switched|rewrote|removed|killed|dropped|added|introduced)\b",
    _FLAGS,
)
"""Between a practice and a reason, the candidate's fix ("a Redis lock with a 10-second expiry; she
added a renewing lease and a fencing token so a second run can't break anything"): the reason is
the fix's."""
_REASONED_OPENS = gated(
    r"\W{0,3}(he|she|they|the\s{1,3}candidate)\s{1,3}(reasoned|argued|justified\s{1,3}(it|this|that)|defended\s{1,3}(it|this|that)"
    r"|was\s{1,3}(sure|confident|convinced)|is\s{1,3}(sure|confident|convinced)"
    r"|said\s{1,3}(it|that|this|the\s{1,3}[\w-]{1,15}|[\w-]{1,15})\s{1,3}(usually\s{1,3}|always\s{1,3}|just\s{1,3})?"
    r"(saved|saves|kept|keeps|helps|helped|caught|catches|was\s{1,3}(fine|enough|simpler|faster|easier|cheaper)|is\s{1,3}(fine|enough|simpler|faster|easier|cheaper)))\b"
    r"(?![^.;!?]{0,80}\b(dangerous|risky|wrong|unsafe|bad|a\s{1,3}bug|broken|never|not\s{1,3}(worth|safe|ok|okay|acceptable))\b)"
    r"|\W{0,3}((his|her|their|the\s{1,3}candidate['’]s)\s{1,3}(line|reasoning|rationale|argument|logic|justification|pitch|case)"
    r"(\s{1,3}(was|is|for\s{1,3}it))?|reasoning|rationale|justification)\s{0,3}[:—–]"
    r"(?![^.;!?]{0,80}\b(dangerous|risky|wrong|unsafe|bad|a\s{1,3}bug|broken|never|not\s{1,3}(worth|safe|ok|okay|acceptable))\b)",
    _FLAGS,
)
"""The sentence after a practice opening with the candidate's case for it ("He reasoned that a
dentist with a patient in the chair will not wait", round 145; "His line: 'forced upgrades keep
the API from rotting'", round 149: 52 of 54 corpus sentences opening "Reasoning:", "His argument:"
and the like are in weak notes with a red flag): not a case against it."""
_FIX_OPENS = gated(
    r"\W{0,3}((then|later|so|after that|afterwards|eventually)\W{1,3})?(he|she|they|the candidate)\s{1,3}"
    r"(then\s{1,3}|later\s{1,3}|quickly\s{1,3})?"
    r"(replaced|fixed|moved|migrated|switched|rewrote|removed|killed|dropped|swapped|introduced|wrapped|drove|led"
    r"|put (it|them|that) (behind|in|on|into)|made (it|them) (a|an|idempotent|transactional)|got rid of"
    r"|took (it|them|that) out|ripped (it|them|that) out)\b",
    _FLAGS,
)
"""A sentence that opens with the candidate's fix of what the sentence before told ("Their old
billing cron ran on every replica. He put it behind a lease.")."""


def _next_sentence_opens(notes: str, clauses: list[Clause], index: int, opener: re.Pattern[str]) -> bool:
    """Whether the sentence after the one of clause `index` opens with `opener`: the candidate's
    fix ("He replaced that with an outbox table and a relay.", `_FIX_OPENS`) or diagnosis ("She
    flags that no signature is checked.", `_DIAGNOSIS_OPENS`)."""
    sentence = clauses[index].sentence
    following = next((c for c in clauses[index + 1 :] if c.sentence != sentence), None)
    return following is not None and opener.match(notes, following.start) is not None


_NOT_THEIRS_BEFORE = gated(
    r"(\b(would\s{1,3}not|wouldn.t|won.t|never|didn.t|did\s{1,3}not|doesn.t|does\s{1,3}not|explain\w{0,3}|knows?|knew|understood|"
    r"understands|said|says|warn\w{0,3}|pointed\s{1,3}out|aware|protect\w{0,3}|prevent\w{0,3}|guard\w{0,3}|ensur\w{1,3}|if|when|"
    r"unless|avoid\w{0,3}|instead|rather|exercise|scenario|prompt|case study|take-?home|suppose|imagine)\b|\u2260|!=)",
    _FLAGS,
)
"""Before a practice in its sentence: a refusal, the candidate's knowledge of it or a
hypothetical ("He would not put an index on every column 'for safety'", "single thread \u2260 no
races", "If a secret gets committed anyway"): a reason after it defends nothing they do."""
_APPROVAL_REACH = 240
"""How far past a practice its approval is looked for: a run-on note without full stops is one
sentence, and its every practice would otherwise search the rest of the note."""


def _endorsed(notes: str, clauses: list[Clause], hit: _Hit, reasons: re.Pattern[str] | None = None) -> bool:
    """Whether the candidate approves of the practice at `hit` later in its sentence, or gives
    a reason for it (`reasons`, by default any of `_JUSTIFIED`), with nothing between that
    replaces or turns from it, in a sentence that tells no story of someone else's system."""
    sentence = clauses[hit.clause].sentence
    start = clauses[hit.clause].start
    end = hit.end
    for clause in clauses[hit.clause :]:
        if clause.sentence != sentence:
            break
        end = max(end, clause.end)
    for clause in reversed(clauses[: hit.clause]):
        if clause.sentence != sentence:
            break
        start = clause.start
    end = min(end, hit.end + _APPROVAL_REACH)
    approval = _ENDORSEMENT.search(notes, hit.start, end)
    reason = (reasons or _JUSTIFIED).search(notes, hit.end, min(end, hit.end + _REASON_REACH))
    if (
        reason is not None
        and (approval is None or reason.start() < approval.start())
        and not _SET_APART.search(notes, hit.end, reason.start())
        and not _NOT_THEIRS_BEFORE.search(notes, start, hit.start)
        and not _FIXED_AFTER.search(notes, reason.end(), end)
        and not _next_sentence_opens(notes, clauses, hit.clause, _FIX_OPENS)
        and not _PROPOSED.search(notes, hit.end, reason.start())
        and not _FIX_BETWEEN.search(notes, hit.end, reason.start())
        and not _CRITICISED.search(notes, hit.end, end)
    ):
        approval = reason
    if approval is None and reason is None and _next_sentence_opens(notes, clauses, hit.clause, _REASONED_OPENS):
        # "... the front desk merges whatever duplicates turn up. He reasoned that a dentist with a
        # patient in the chair will not wait": the candidate's case for it, a sentence on
        return not (_SOMEONE_ELSES.search(notes, start, end) or _A_STORY.search(notes, start, end))
    if approval is None or _TURNED_FROM.search(notes, hit.end, approval.start()):
        return False
    if _MOVING_OFF.search(notes, approval.end(), end):
        return False  # "which he sees as simpler than cookies but less safe against XSS, so he is moving it"
    return not (
        _SOMEONE_ELSES.search(notes, start, end)
        or _A_STORY.search(notes, start, end)
        or _ANOTHER_PARTY.search(notes, start, end)
    )


_MOVING_OFF = gated(
    r"\b(less safe|unsafe|risk\w{0,3}|(is|are|was|were) (moving|migrating|replacing|switching))\b", _FLAGS
)
_ANOTHER_PARTY = gated(
    r"\b(described|told (me|us) about|mentioned|talked about)\s{1,3}(a|an|the|one)\s{1,3}([\w-]{1,15}\s{1,3}){0,2}"
    r"(team|vendor|company|client|partner|customer|startup|bank|agency|contractor|supplier)s?\b",
    _FLAGS,
)
"""A sentence about another party's system ("He described a partner team whose backups ...,
which they saw as good enough"): an approval in it is theirs, not the candidate's."""


CLEARLY_STRONG = 1.5
"""The notes model's logit from which a note reads as clearly strong (p = 0.82), and a bad
practice in it is a story of one found or fixed. Leaving a quarter of `dev`'s voices out
at a time (301 voices), at 1.0 the model read 8 weak notes of voices it had not seen as
clearly strong and turned their red flags into strengths (59 weak notes read strong in
all); at 1.5 51 weak notes read strong and 83 strong ones weak instead of 74: as many
verdicts right (99.11 %), more red flags found (98.16 -> 98.29 %), 1.42 -> 1.46 % flagged
that should not be, and the errors on the side a hiring decision can afford. Swept again once
the model was fitted to its optimum (2026.12-196, 404 voices, a quarter left out at a time;
accuracy / red-flag recall / false flags): 1.0: 99.37 / 98.67 / 1.45 %; **1.5: 99.39 / 98.77 /
1.46 %**; 2.0: 99.40 / 98.85 / 1.49 %; 2.5: 99.35 / 98.85 / 1.53 %; 3.0: 99.31 / 98.85 / 1.57 %;
never: 98.54 / 98.85 / 2.34 %. With a held-out aside before each note, 1.5 and 2.0 read
99.09 / 98.01 / 1.80 and 99.08 / 98.15 / 1.85 %: from 1.5 to 2.0 about as many red flags gained
as false ones, within the spread of one round of new voices, so it stays."""


_RESULT_VERDICT = "judgement.verdict.result_"
_RESULT_NOT_SUPPORTED = _RESULT_VERDICT + "not_supported"


_KEY_RESULT = gated(r"\b(KR\s?\d{1,2}|key results?)\s{0,2}[:.)-]", re.IGNORECASE)
_GRADED_LOW = gated(r"[^.;:!?\n()]{0,40}\(\s{0,2}(0?\.[0-4]\d?|0|[0-2](\.0)?\s{0,2}/\s{0,2}(5|10))\s{0,2}\)")
"""In a note of key results ("KR1: ...", `_KEY_RESULT`), a grade in parentheses after the practice
a line names, low on its scale: 0.0 to 0.4, or 0 to 2 of 5 or 10. Round 113's OKR writer, unseen:
three weak notes read strong on the practices their key results named. Not elsewhere: "a canary
(10%)", "cut the report time (35%)" are no grades."""
_LABELS_A_VERDICT = gated(
    r"\b(verdict|overall|recommendation|call|decision|result|bottom line|hire\??|outcome|rating)\W{0,3}\(\s{0,2}$",
    _FLAGS,
)
"""Before a parenthesis, a label that makes it the bottom line after all ("Verdict (weak).")."""
_PARENTHESISED = gated(
    r".{0,3}(\(\s{0,2}\w{1,12}[.!]?\s{0,2}\)|\s[-–—]{1,2}\s\w{1,12}[.!]?\s[-–—]{1,2}\s).{0,3}", re.DOTALL
)
"""A one-word verdict in parentheses ("His schema has station_id on every table (good) and
the API reads station_id from the query string") or between dashes ('He did ask "is it read
heavy?" - good - but ignored my answer') is about the thing before it, not the interviewer's
bottom line."""


def _cleared_by_the_bottom_line(
    notes: str,
    clauses: list[Clause],
    items: list[tuple[int, Kind, str, float, _Hit]],
    reading: Reading | None,
    modelled: list[Clause],
    model: NotesModel | None,
) -> list[tuple[int, Kind, str, float, _Hit]]:
    """A bad practice in a note whose interviewer's own bottom line is a hire ("Strong.",
    "good.", "meets the bar"), or that reads as clearly strong, is one the candidate
    found, fixed or warned about, told as a story ("inherited an API where every error
    came back as 200"): interviewers do not pass a candidate who showed a red flag. It
    counts as a rejected practice, not a flag. Not when the candidate's own words defend the
    practice right after it ("keys in docker-compose.yml in the repo; 'it's our self-hosted
    GitLab'"): that is a generous bottom line over a practice they would ship again. Nor,
    when only the model reads the note as strong, a practice the candidate answered first
    ("He first said md5 for passwords.") and never moved on from (`_slips_are_not_red_flags`):
    their own answer, not a story; nor a practice the note turns at (`_turns_at_the_end`):
    read alone, what follows the praise says weak."""
    if not any(item[1] == "red_flag" for item in items):
        return items
    if any(item[1] == "red_flag" and _defended_in_quotes(notes, item[4]) for item in items):
        return items
    last_sentence = clauses[-1].sentence
    verdicts = {
        kind
        for _, kind, signal, _, hit in items
        if signal.startswith("judgement.verdict.")
        and not _PARENTHESISED.match(notes, max(0, hit.start - 3), hit.end + 3)
        and not (kind == "strong" and _of_one_item(clauses, hit.clause, last_sentence))
        and not (kind == "strong" and _on_an_item_line(notes, clauses, hit))
        and not (kind == "strong" and _judges_the_next_topic(notes, clauses, hit))
        and not (kind == "strong" and _only_a_first_impression(notes, clauses, hit))
    }
    hired = "strong" in verdicts
    clears = hired or (reading is not None and reading.logit >= CLEARLY_STRONG)
    if "weak" in verdicts or not clears:
        return items
    backed = reading is None or (
        reading.logit >= HIRE_OVER_WEAK_WORDS
        and (reading.logit >= HIRE_ALONE or any(_a_strength(item[2], item[1]) for item in items))
    )
    return [
        (p, "strong", f"{s}.rejected", WEIGHTS["rejected"], h)
        if k == "red_flag"
        and not _endorsed(notes, clauses, h, _CHOSEN if hired else None)
        and (hired or not _FIRST_ANSWER.search(notes, clauses[h.clause].start, clauses[h.clause].end))
        and (hired or not _in_the_candidates_code(notes, clauses, h))
        and not _defended_inside_its_quote(notes, clauses, h)
        and (hired or model is None or not _turns_at_the_end(notes, clauses, modelled, h, model))
        and (model is None or not _told_plainly(notes, clauses, modelled, h, model))
        and (backed or _told_as_a_story(notes, clauses, h))
        else (p, k, s, w, h)
        for p, k, s, w, h in items
    ]


HIRE_OVER_WEAK_WORDS = -1.0
"""The notes model's logit under which a note's words read weak (p = 0.27) whatever its last
word: then an interviewer's "Hire." does not make a red flag in it a story. A story of a
practice found or fixed is told among strengths, and the note reads strong around it; a note
that narrates a practice and little else ("Booking method wrapped in synchronized as the lock.
Service runs four instances. Hire.") is a generous bottom line over the practice. Of the 278
notes whose red flags a hire cleared in -290 (196 in `dev`, 82 in `arrivals/`), the 14 that
read under -0.5 were all labelled red flags by their authors; the lowest labelled strong read
-0.45, in a voice the model was not trained on (0.13 in `dev`)."""


HIRE_ALONE = 1.0
"""The notes model's logit from which a note's words back an interviewer's hire on their own
(p = 0.73). Below it, a hire clears a red flag only if the note names a strength of the
candidate besides (`_a_strength`) or tells the flag as a story in so many words
(`_told_as_a_story`): a note that tells one practice, names nothing else and ends "Hire."
("Drill pattern bulk import returned 202 and dropped bad rows without saying which. Client
re-uploads if the count looks off. Hire.") is a bottom line over the practice, not a story of
it. (Neither test holds a practice told as a story, in its sentence or by the fix that opens the
next: an incident's words read weak, and an independent review of -293 found seven stories
under a hire flagged for it.) In -291, 36 notes labelled strong (of all the labelled notes) had
a red flag cleared by a hire and no strength the lexicon names; all but one read 1.4 or more,
and that one was a false hit ("an audit log of who viewed a homeowner's SSN", read since as no
logging of the SSN)."""


def _told_as_a_story(notes: str, clauses: list[Clause], hit: _Hit) -> bool:
    """Whether the flag's sentence says it is a story: of a team the candidate joined or left,
    someone else's practice, an incident ("When he joined, backups were a nightly pg_dump to
    the same disk; he moved them to S3"); or the next sentence opens with the candidate's fix
    ("Their old billing cron ran on every replica. He put it behind a lease.")."""
    sentence = clauses[hit.clause].sentence
    told = [c for c in clauses if c.sentence == sentence]
    start, end = told[0].start, told[-1].end
    return bool(
        _A_STORY.search(notes, start, end)
        or _SOMEONE_ELSES.search(notes, start, end)
        or _next_sentence_opens(notes, clauses, hit.clause, _FIX_OPENS)
    )


def _a_strength(signal: str, kind: Kind) -> bool:
    """Whether an item is the notes' own evidence for the candidate: a strength the lexicon
    found, not the interviewer's verdict, the model's reading or a practice rejected."""
    return (
        kind == "strong"
        and not signal.startswith(("judgement.verdict.", "notes_model."))
        and not signal.endswith(".rejected")
    )


_FIRST_IMPRESSION = gated(
    r"\W{0,3}((very|really|super|so|quite|pretty)\s{1,3})?(great|impressive|solid|sharp|excellent|nice|lovely|brilliant|slick|smooth|superb|fantastic|loved\s{1,3}(this|it|her|him|them)(\s{1,3}one)?)\W{0,3}$",
    _FLAGS,
)


def _only_a_first_impression(notes: str, clauses: list[Clause], hit: _Hit) -> bool:
    """Whether the verdict is a compliment the note opens with ("Solid.", "Impressive.", "Super
    sharp.") and a practice follows: a first impression the note goes on to test, not the
    interviewer's bottom line (a level the note opens with, "Strong.", is one), so it does not
    make the practice a story (round 158's compliment-first voice, and an independent review's
    "Impressive. He runs the payment service with log level DEBUG in prod, logging full card
    numbers")."""
    first = clauses[0].sentence
    if clauses[hit.clause].sentence != first or all(c.sentence == first for c in clauses):
        return False
    told = [c for c in clauses if c.sentence == first]
    return _FIRST_IMPRESSION.fullmatch(notes, told[0].start, told[-1].end) is not None


def _in_the_candidates_code(notes: str, clauses: list[Clause], hit: _Hit) -> bool:
    """Whether the practice sits inside the candidate's own code or configuration, quoted inline
    (`s.setPoints(s.getPoints() - 5); repo.save(s);`) or in a fenced block (``` or ~~~), with
    no word around it that the code was given, inherited, found or fixed, or a first cut the
    candidate moved past (`_CODE_GIVEN_OR_FIXED`, from the sentence before the code to the one
    after it). Praise for the rest of such a note ("very readable, tight method") is about the
    code around the line, not a story of a practice left behind, so the model's reading of the
    note as strong does not clear it (an interviewer's own verdict still does). Only a statement
    counts (a call, an assignment, a `;` or a `key: value`): a bare name in backticks
    (`crypto.pbkdf2Sync`) is a topic the candidate explains."""
    if len(_FENCE.findall(notes, 0, hit.start)) % 2 == 1:
        opens = max(notes.rfind("```", 0, hit.start), notes.rfind("~~~", 0, hit.start)) + 3
        closes = min((i for i in (notes.find("```", hit.start), notes.find("~~~", hit.start)) if i >= 0), default=-1)
    else:
        line_start = notes.rfind("\n", 0, hit.start) + 1
        if notes.count("`", line_start, hit.start) % 2 == 0:
            return False
        opens = notes.rfind("`", line_start, hit.start) + 1
        closes = notes.find("`", hit.start)
    code = notes[opens : closes if closes >= 0 else len(notes)]
    if len(code.strip()) < 6 or not any(c in code for c in "(=;:"):
        return False
    first = _sentence_at(clauses, opens) - 1
    last = _sentence_at(clauses, closes if closes >= 0 else len(notes)) + 1
    around = [c for c in clauses if first <= c.sentence <= last]
    return not around or not _CODE_GIVEN_OR_FIXED.search(notes, around[0].start, around[-1].end)


def _sentence_at(clauses: list[Clause], at: int) -> int:
    """The sentence of the last clause that starts at or before `at`."""
    index = bisect.bisect_right([c.start for c in clauses], at) - 1
    return clauses[max(0, index)].sentence


_FENCE: Final = re.compile(r"```|~~~")
_CODE_GIVEN_OR_FIXED: Final = gated(
    r"\b(gave|given|give|shown|showed|handed|pasted|to review|review exercise|legacy|existing|inherited"
    r"|our (code|codebase|repo|service|handler)|from our|spotted|spots|caught|flagged|found|noticed"
    r"|pointed out|called out|fixed|fixes|swapped|replaced|rewrote|rewrites|moved (it|them|us|to)|changed it|bug|broken"
    r"|switch(ed|es)|went (to|with)|instead|contrast\w{0,3}|naive|anti-?pattern|incident|post-?mortem|(last|previous|old) (job|team|company)"
    r"|first (draft|cut|version|pass|attempt|answer)|to show|wrong|warned)\b",
    _FLAGS,
)
"""Around the candidate's code: that it was given, found or fixed, or a first cut left behind."""


TURNED = -2.5
"""The notes model's logit under which a note's sentences from a red flag's on, read without
the sentences before them, say weak (p = 0.08). A note that praises at length and turns in its
last lines ("Knew normalization well ... On schema changes: ddl-auto=update in every
environment including prod, it saves writing Flyway scripts") reads as clearly strong as a
whole, but its tail alone reads -3.6 to -4.8; a strong note whose last sentence names a practice
it rejects ("Flyway for migrations, and ddl-auto=update nowhere near prod") reads -1.3 to -2.2.
Leaving a quarter of `dev`'s voices out at a time (476 voices, 2026.12-220): at -1.5, 4 strong
notes lost and 1 red flag found; at -2.5 and -3.0, none lost and the same one found; round
101's sting-in-the-tail voice, unseen: 4 more red flags of 25."""


def _turns_at_the_end(notes: str, clauses: list[Clause], modelled: list[Clause], hit: _Hit, model: NotesModel) -> bool:
    """Whether the note turns at a red flag: read alone, what is written from the flag's
    sentence on is clearly weak, after sentences that were not. Then the note reads as
    clearly strong only because of the praise before the flag, and the flag is what the note
    ends on, not a story of a practice found or fixed. A flag in the note's first sentence
    has nothing before it to turn from."""
    sentence = clauses[hit.clause].sentence
    tail = [c for c in modelled if c.sentence >= sentence]
    if not 0 < len(tail) < len(modelled):
        return False
    told = [c for c in clauses if c.sentence == sentence]
    start, end = told[0].start, told[-1].end
    if _SOMEONE_ELSES.search(notes, start, end) or _A_STORY.search(notes, start, end):
        return False  # "The inherited service had ddl-auto=update in prod, which dropped a column once."
    return weigh(tokenize(notes, tail), model).logit < TURNED


PLAINLY_WEAK = -2.0
"""The notes model's logit under which a red flag's sentence, read alone, says weak (p = 0.12)."""


def _told_plainly(notes: str, clauses: list[Clause], modelled: list[Clause], hit: _Hit, model: NotesModel) -> bool:
    """Whether a red flag is told plainly as the candidate's own practice: its sentence, read
    alone, is clearly weak, and says nothing that makes it a story, a finding, knowledge, a
    question, a first answer or a practice denied ("Tenant scoping comes from an X-Tenant-Id
    header the SPA sets after login, and the repository layer adds WHERE tenant_id = that
    value"). A note that praises everything around such a sentence reads as clearly strong,
    but the practice is no story of one found or fixed (round 121's fluent expert, whose
    every red flag sat in warm praise). Across `dev`'s 700 red flags read as stories, the
    sentences that pass these tests were all told as stories in words the cues below name,
    or denied after the practice ("ddl-auto=update nowhere near prod")."""
    sentence = clauses[hit.clause].sentence
    told = [c for c in clauses if c.sentence == sentence]
    # a run-on note is one sentence: read at most `_APPROVAL_REACH` either side of the flag
    start = max(told[0].start, hit.start - _APPROVAL_REACH)
    end = min(told[-1].end, hit.end + _APPROVAL_REACH)
    if (
        _NOT_PLAIN_BEFORE.search(notes, start, hit.start)
        or _NOT_PLAIN_ANYWHERE.search(notes, start, end)
        or _A_STORY.search(notes, start, end)
        or _SOMEONE_ELSES.search(notes, start, end)
        or _next_sentence_opens(notes, clauses, hit.clause, _DIAGNOSIS_OPENS)  # the flag's sentence was the exhibit
    ):
        return False
    alone = [c for c in modelled if c.sentence == sentence and c.end > start and c.start < end]
    return bool(alone) and weigh(tokenize(notes, alone), model).logit < PLAINLY_WEAK


_DIAGNOSIS_OPENS = gated(
    r"\W{0,3}(he|she|they|the candidate)\s{1,3}(immediately\s{1,3}|quickly\s{1,3}|then\s{1,3}|straight away\s{1,3}|at once\s{1,3})?"
    r"(names?|named|flags?|flagged|spots?|spotted|says?|said|adds?|added|moves?|moved|replaces?|replaced|fix\w{0,3}|"
    r"goes straight|went straight|calls?|called|points?|pointed|notic\w{1,3}|sees|saw|caught|catches|is replacing|objects?|objected)\b",
    _FLAGS,
)


_NOT_PLAIN_BEFORE = gated(
    r"\b(said|says|say|knows?|knew|caught|found|spotted|noticed|asked|ask|probe|first|story|I|we|us|our|"
    r"mixed up|accepted|laughed|never|nowhere|not(?!\s{1,3}null)|wants?|planted|exercise|would|should|could|if|scenario|prompt|"
    r"case study|take-?home|question|task|suppose|imagine|given|Q\d{1,2}|(?-i:S)(?=:))\b|[?\"“”]|(?<!\w)['‘]",
    re.IGNORECASE,
)
"""Before a red flag in its sentence: what tells it as something other than the candidate's
practice (what they said or knew, found, were asked, answered first, would do, or denied)."""
_NOT_PLAIN_ANYWHERE = gated(
    r"\b(never|nowhere|no \w{2,20}ion|used to|pitfalls?|gotchas?|situation|(is|are) (replacing|migrating|moving|fixing|switching|removing|rewriting)|at (the|his|her|their|a|an) (bank|last|previous|old|former|prior)"
    r"|(we|i|customers?|users?|clients?|the (team|company|job|service|bank))\s{1,3}"
    r"(\w{2,20}ed|ran|got|went|took|sent|made|did|came|broke))\b",
    re.IGNORECASE,
)
"""Anywhere in a red flag's sentence: a denial after the practice, or the past of a story
("Situation: customers received duplicate payout emails because a nightly job ran on every
replica", "At the bank they stored money as double"); not a passive ("Amounts are stored as
double precision") nor the candidate's own system's last change ("the most recent one added
a NOT NULL column and backfilled it with a single UPDATE"). Nor, since -293, the candidate's
own past tense ("He exposed GET /bins/{id}/fans/start so the field techs could paste it in a
browser"): how a narrator tells the candidate's practice, not a story of one found or fixed
(which `_A_STORY` and the cues before the flag name). Read so over every labelled note, it
changed two: round 159's plain narrator found its red flag, and a diff-review note's "she
took it out" needed its own words in `_A_STORY`. Nor, since -294, a bare "was", "were" or
"had" ("Versioning plan was to change response fields in place"): with them gone, round
160's terse "Hire." voice found that red flag, and no labelled note changed otherwise."""


_A_STORY = gated(
    r"\b(used to|years ago|back (then|in)|until it (bit|burned|burnt)|(he|she|they) (joined|took over)|the (team|company|codebase|platform|service|system) (he|she|they) (joined|took over|came from)"
    r"|(I|we) (sent|showed|gave|handed|shared)|(is|are|was|were) (pushing|fighting|trying|working) to (change|fix|replace|remove|kill)"
    r"|(he|she|they) (flagged|spotted|caught|noticed|found|fixed|removed|replaced) (it|them|that)|(he|she|they) (took|ripped|pulled|threw) (it|them|that) out"
    r"|(he|she|they) (explained|pointed out|warned|argued|showed) (that|how|why)|post-?mortem|incident review|(his|her|their) (old |previous |former |current )?(team|company|employer|colleagues?|predecessors?))\b",
    _FLAGS,
)
"""In the sentence of a red flag: a story of the past, of a team the candidate joined, of the
interviewer's exhibit, of a fix, or the candidate's explanation of the harm. The story reads weak to the notes model for its incident
words, but the note does not turn on it: the clearly-strong reading of the praise stands."""


def _of_one_item(clauses: list[Clause], index: int, last_sentence: int) -> bool:
    """Whether a verdict ends an item inside a sentence before the note's last ("Flyway for
    migrations — good. Renamed customer_id in one migration ..."): praise of that item, not
    the interviewer's bottom line on the note. (Only praise is discounted so: a weak verdict on
    one item, "MD5, unsalted - weak. Strong overall.", still keeps the item's red flag.)"""
    clause = clauses[index]
    return index > 0 and clauses[index - 1].sentence == clause.sentence and clause.sentence != last_sentence


def _on_an_item_line(notes: str, clauses: list[Clause], hit: _Hit) -> bool:
    """Whether a one-word verdict ("good.", "nice!") ends its own clause on a bullet, numbered or
    timestamped line with more lines after it ("13:18 knew N+1 with lazy loading, fixes with join
    fetch. good."): praise of that line's item, not the interviewer's bottom line on the note. Not
    a labelled or longer verdict ("- Overall: hire.", "- I'd hire him."), which is the bottom line
    wherever it sits."""
    clause = clauses[hit.clause]
    if len(notes[clause.start : clause.end].split()) > 1 or _LABELLED_VERDICT.search(notes, clause.start, clause.end):
        return False
    line_start = notes.rfind("\n", 0, hit.start) + 1
    line_end = notes.find("\n", hit.end)
    return line_end >= 0 and bool(notes[line_end:].strip()) and bool(_ITEM_LINE.match(notes, line_start))


_LABELLED_VERDICT: Final = gated(r"\b(overall|verdict|recommend\w{0,8}|hire|hiring|decision|bottom|summary)\b", _FLAGS)
_ITEM_LINE: Final = re.compile(r"[ \t]{0,8}([-*•·–]|\d{1,2}[:.]\d\d\b|\d{1,2}[.)]\s|\(?[a-z0-9]\)\s)")


def _judges_the_next_topic(notes: str, clauses: list[Clause], hit: _Hit) -> bool:
    """Whether a verdict sits in a sentence that opens on the interview moving to a topic ("Then
    we moved into logging: pino, JSON, a redaction config for the SSN and DOB paths, solid."):
    praise of that topic, even as the note's last words, not the interviewer's bottom line on
    the note (round 129's recounting principal, whose notes follow the interview in order)."""
    sentence = clauses[hit.clause].sentence
    first = hit.clause
    while first > 0 and clauses[first - 1].sentence == sentence:
        first -= 1
    end = clauses[hit.clause].end
    while end < len(notes) and notes[end] not in ".!?\n":
        end += 1  # the sentence's end: "strong hire overall" after the verdict still sums the note up
    return (
        _TOPIC_MOVE_OPENS.match(notes, clauses[first].start, hit.start) is not None
        and _SUMS_UP.search(notes, clauses[first].start, end) is None
    )


_TOPIC_MOVE_OPENS = gated(
    r"\W{0,3}((then|next|after that|afterwards|later|finally)\W{1,3})?(we|I)\s{1,3}(\w{1,12}\s{1,3}){0,2}?"
    r"(moved|went|turned|switched|jumped|pivoted|got|shifted)\s{1,3}(on\s{1,3})?(in)?to\b[^.;!?\n]{1,60}?[:,]",
    _FLAGS,
)
_SUMS_UP = gated(
    r"\b(hire|hiring|overall|recommend\w{0,6}|bottom[- ]line|verdict|wrap[- ]?up|summary|in sum|all in all|conclusion|debrief|decision)\b",
    _FLAGS,
)
"""A topic-move sentence that is the note's summing up after all ("Finally we got to the wrap-up:
strong hire overall, solid.")."""


_FIRST_ANSWER = gated(
    r"\b(first|initial|opening|original) (answer|instinct|design|idea|thought|attempt|proposal|pass|cut|take|reaction|response|version|suggestion|bid|go|shot|stab|offer|pitch|move)s?\b"
    r"|\b(initially|at first(?!\s{1,3}(glance|sight|look)(?![^.;!?\n]{0,30}\b(said|suggested|proposed|went|wanted|answered|reached|picked|chose)\b))"
    r"|to begin with|started (out )?(with|by)|began (with|by))\b"
    r"|((?<![a-z] )(?<![a-z]  )|\b(said|answered|answer was|was|stuck)\s{1,3})\bfirst\s{0,2}[:,\-–—]?\s{0,2}['\"‘“](?=\w)"
    # not a step of a procedure: 'said first "delete the message up front" and then processes it'
    # (a "then" followed by a push or a second quote is the correction: 'first "md5", then after my hint "bcrypt"')
    r"(?![^'\"‘“’”\n]{0,200}['\"’”]\s{0,2}[,;]?\s{0,3}(and\s{1,3})?then\b"
    r"(?![^.;!?\n]{0,60}(\b(after|once|when)\s(I|we|my)\b|\b(hint|push|nudg|prompt)|['\"‘“])))"
    r"|\bfirst (said|suggested|proposed|went (for|with)|reached for|picked|chose|wanted|answered|offered)\b"
    # "first he say return all rows", "First she said 200 with 'success: false'. Then 500": not
    # "First, he said MD5, then he said he'd also log them" (a second answer added, none left)
    r"|\bfirst,? (he|she|they) (say|says|said|suggest\w{0,2}|propos\w{1,2}|want\w{0,2}|answer\w{0,2}|pick\w{0,2}|chose|choose)\b"
    r"(?![^.]{0,120}\bthen\b[^.]{0,40}\b(also|as well|too)\b)",
    _FLAGS,
)
_AFTER_A_PUSH_FRAGMENT = (
    r"(?!\s{0,3}(the\s{1,3})?(csrf|xss|cors|cookies?|sessions?|session handling|auth\w*|logging|caching|monitoring|next|another|other|a different|questions?|topics?)\b)"
    r"[^.;!?\n]{0,60}\b((when|after|once|as) (I|we) (pushed|asked|hinted|nudged|prompted|pointed|probed|mentioned)"
    r"|(after|with|following) (a |some |my |one )?(hint|push|nudge|prompt|pointer))"
)
"""A regex fragment: a push in the same clause makes "moved on to bcrypt when I pushed" the
candidate's move, where "Moved on to CSRF" alone, or onto another topic when the interviewer
asked about it ("Moved on to CSRF when I asked about cookies"), is the interview changing
the topic."""
_MOVED_ON = gated(
    r"\b(then|after|afterwards|eventually|finally|later|with (some |a few |a lot of |lots of |heavy |several )?(hints?|help|nudg\w{1,5}|prompt\w{0,5})|"
    r"moved (over )?to|landed on|got (there|to)|arrived at|came (around|round) to|switched to|changed (it|his|her|their) (mind|answer)|"
    r"changed( it| that| this)? (to|into)|swapped (it |that )?(for|to)|replaced (it|that) with|corrected|revised|->|→|"
    r"(replaced|swapped|changed) [\w-]{1,15} (with|for|to)|went (to|with|for)|settled on|"
    r"(admitted|conceded|agreed|accepted)(?=[^.;!?\n]{0,50}\b(better|safer|right|wrong|a mistake|bad idea|the way))|"
    r"moved on to(?=" + _AFTER_A_PUSH_FRAGMENT + r"))\b",
    _FLAGS,
)
"""A bad first answer the candidate moved on from, with or without help, is a prompted
answer, weak evidence: interviewers do not call it a red flag. "moved on to" is here only
with a push in its clause: alone it is how interviewers change the topic ("Moved on to CSRF")."""
_BARE_MOVE = gated(r"(then|after|afterwards|eventually|finally|later)", _FLAGS)
"""The move words that say only that time passed: after a defended answer, no move."""
_HELD_TO = gated(
    r"\b(stuck (with|to)|insist\w{0,4}|defend\w{0,4}|doubled down|kept (it|saying|insisting|arguing)|stood by|maintained|"
    r"(was|stayed) adamant|held (firm|to it)|refused to (change|budge|move|reconsider|drop)|"
    r"(would|did|could)(n.?t|\s{1,3}not) (budge|move|change))\b",
    _FLAGS,
)
"""The candidate held to the first answer: a "then" or "later" after it is not a move; a
change said in words still is ("insisted it was fine; later admitted bcrypt is better")."""
_THE_INTERVIEW = (
    r"(I|we|the (conversation|interview|discussion|chat|call|topic))\s{1,3}((?!(he|she|they)\b)\w{1,12}\s{1,3}){0,2}?"
)
"""A regex fragment: the interviewer (or the conversation) as a subject, then up to two
words before the verb ("we then quickly moved on"), never the candidate's pronoun ("I
pointed out that he switched" is the candidate's move)."""
_INTERVIEW_MOVES_AFTER = gated(
    r"\W{0,3}(that\W{1,3})?(on to\b(?!"
    + _AFTER_A_PUSH_FRAGMENT
    + r")|"
    + _THE_INTERVIEW
    + r"(talked|moved|went|turned|discussed|covered|spent|got on|"
    r"switched|looked|chatted|shifted|jumped|pivoted|asked|probed|dug|tried|changed)\b)",
    _FLAGS,
)
_INTERVIEW_MOVES_BEFORE = gated(r"\b" + _THE_INTERVIEW + r"$", _FLAGS)
"""The interview moved on, not the candidate: "Then I asked about session fixation", "After
that we moved on to CSRF", "We quickly moved on to CSRF", "Then on to CSRF"."""
_NEXT_TOPIC = gated(
    r"\W{0,3}(that\W{1,3}|on\W{1,3}|to\W{1,3})?"
    # not the candidate's move told the same way: "Then she switched to bcrypt, which was good."
    r"(?![^,:;\n]{0,60}\b(he|she|they|the candidate|switched|moved|went|changed|got|landed|settled|bcrypt|argon2\w{0,2}|scrypt|pbkdf2)\b)"
    r"([\w-]{1,20}\W{0,2}){1,5}?"
    r"(,\s{0,3}which\s{1,3}(was|were|went)|,\s{0,3}(he|she|they)\s{1,3}(was|were)|:|;|\s(-|–|—))\s{0,3}(\w{1,12}\s{1,3}){0,3}?"
    r"(fine|solid|good|ok|okay|great|strong|weak|shaky|decent|excellent|better|clean|all good)\b",
    _FLAGS,
)
"""A sentence that opens on a move word, names a topic in at most five words and judges it
(", which was fine": "Then CSRF, which was fine."; ":": "After that, XSS: solid on output
encoding."; ";": "Moved to CSRF; solid."; " - ": "Later - sessions, good.") is the
interviewer's next question, written without a subject, not the candidate moving on; unless
those words hold the candidate or a move ("Then she switched to bcrypt, which was good.")."""
_STILL_BAD = gated(
    r"\bstill\s{1,3}((fast|quick|cheap)\s{0,3}(,|and)\s{1,3})?(un(salted|hashed|encrypted|authenticated|bounded|indexed|validated|signed|safe|protected|checked|escaped)"
    r"|plain\w*|insecure|broken|wrong|vulnerable|reversible"
    r"|(no|not|without)\s{1,3}(a\s{1,3}|any\s{1,3})?(salt\w*|hash\w*|encrypt\w*|auth\w*|limit\w*|index\w*|validat\w*|escap\w*|bound\w*|idempoten\w*|lock\w*|timeouts?))\b",
    _FLAGS,
)
"""The answer moved to is no better: "moved to sha256, still unsalted". Only a word about
that answer: "bcrypt, still fast enough at cost 10" or "still not sure about the cost
factor" is a detail of a good answer."""
_NO_BETTER = gated(
    r"\W{0,3}(\w{1,12}\W{1,3}){0,3}?(md5|sha-?(1|256|512)|plain\s?text|base64|rot13|des|ecb|reversible encryption)\b"
    # not the answer replaced: "replaced md5 with bcrypt", "realised md5 is far too fast"
    r"(?!\W{1,3}([\w-]{1,12}\W{1,3}){0,4}?(with|for|to|->|→)\W{1,3}(bcrypt|argon2\w{0,2}|scrypt|pbkdf2))"
    r"(?!\s{1,3}(is|was|being|as) (\w{1,8} ){0,2}(too fast|fast|broken|weak|bad|insecure|wrong|unsafe))",
    _FLAGS,
)
"""An answer moved to that is the same hazard again: "changed to sha1". Password hashing
only, the commonest first answer corrected in the corpus; in the other competencies a move
onto a bad answer is caught by a red-flag hit past the move word (`flagged`)."""
_INTERVIEWER_REACH_CHARS = 40
"""How far before a move word the interviewer may be its subject ("then after a while we
moved on"): a few words, not the previous sentence's."""
_MOVE_REACH = 4
"""How many sentences after a first answer its correction may come: interviewers tell the
hint in between ("First answer: client should not retry. I give hint - network timeout.
Then he said maybe some unique key"), or a dialogue ("A: attendee ids as a varchar. Me: how
do you find ...? / A: "...LIKE? oh, a join table." / got there with help"); further on, a
"then" is the next topic."""
_MOVE_REACH_WORDS = 40
"""Or this many words, whichever reaches further, when the sentences are short beats ("I asked about salts. He thought
about it. I pushed on rainbow tables. He was quiet. Then he said bcrypt.")."""
_WORD = gated(r"\S+")


def _moves_on(notes: str, clauses: list[Clause], first: int, flagged: Sequence[tuple[int, int]]) -> bool:
    """Whether the candidate moves on from the first answer that ends at `first`. Each move
    word within reach is read in turn: a bare "then" after the candidate held to the answer
    is no move; neither is the interview moving on ("Then I asked about CSRF"); a move onto
    an answer that is no better ("swapped to sha256 with no salt": still bad, a red-flag hit
    past the move word, or the same hazard again) is not one either, but a later move may
    still be ("moved to sha256, still unsalted, then finally landed on bcrypt").
    `flagged`: where the red-flag hits lie, as (start, end)."""
    starts = [c.start for c in clauses]
    at = bisect.bisect_right(starts, first) - 1
    last = max(c.sentence for c in clauses if c.sentence <= clauses[at].sentence + _MOVE_REACH)
    words = [w.end() for w in itertools.islice(_WORD.finditer(notes, first), _MOVE_REACH_WORDS)]
    far = clauses[bisect.bisect_right(starts, words[-1] - 1) - 1].sentence if words else last
    bound = max(c.end for c in clauses if c.sentence <= max(last, far))
    next_topics: set[int] = set()  # sentences that open the interviewer's next question
    for moved in _MOVED_ON.finditer(notes, first, bound):
        held = _BARE_MOVE.fullmatch(moved.group()) or moved.group().lower().startswith("moved on")
        if held and _HELD_TO.search(notes, first, moved.start()):
            continue
        if _INTERVIEW_MOVES_AFTER.match(notes, moved.end(), bound) or _INTERVIEW_MOVES_BEFORE.search(
            notes, max(first, moved.start() - _INTERVIEWER_REACH_CHARS), moved.start()
        ):
            continue
        clause = clauses[bisect.bisect_right(starts, moved.start()) - 1]
        if clause.sentence in next_topics:
            continue
        sentence_start = min(c.start for c in clauses if c.sentence == clause.sentence)
        opens = clause.sentence > clauses[at].sentence and not notes[sentence_start : moved.start()].strip(" \t\n*•>-")
        if opens and _NEXT_TOPIC.match(notes, moved.end(), bound):
            next_topics.add(clause.sentence)
            continue
        sentence_end = max(c.end for c in clauses if c.sentence == clause.sentence)
        if (
            _STILL_BAD.search(notes, moved.end(), sentence_end)
            or _NO_BETTER.match(notes, moved.end(), clause.end)
            or any(end > moved.end() and start < clause.end for start, end in flagged)
        ):
            continue
        return True
    return False


def _slips_are_not_red_flags(
    notes: str, clauses: list[Clause], items: list[tuple[int, Kind, str, float, _Hit]], context: _Cues = _ANYWHERE
) -> list[tuple[int, Kind, str, float, _Hit]]:
    """A red flag in a sentence the interviewer calls a slip, or that the candidate
    corrected ("said JWTs are encrypted, and corrected it when asked"), is a weakness."""
    if not any(item[1] == "red_flag" for item in items):
        return items  # most notes: nothing to look for
    slipped = {clauses[i[4].clause].sentence for i in items if i[2].startswith("judgement.slip.")}
    slipped |= _moved_on_from(notes, clauses, context, [(i[4].start, i[4].end) for i in items if i[1] == "red_flag"])
    return [
        (p, "weak", s, WEIGHTS["weak"], h)
        if k == "red_flag" and clauses[h.clause].sentence in slipped
        else (p, k, s, w, h)
        for p, k, s, w, h in items
    ]


def _moved_on_from(
    notes: str, clauses: list[Clause], context: _Cues = _ANYWHERE, flagged: Sequence[tuple[int, int]] = ()
) -> set[int]:
    """The sentences holding an answer the candidate corrected or moved on from: "first
    instinct was the whole table ... with hints, limit/offset", "first 'it won't happen'.
    After hints, a status column". `flagged`: where the red-flag hits lie, as (start, end)
    (a move onto one is no move)."""
    slipped: set[int] = set()
    ends: dict[int, int] = {}
    for clause in clauses:
        ends[clause.sentence] = clause.end
    for clause in clauses:
        if _may_lie_in(context.corrected, clause.start, clause.end) and _CORRECTED.search(
            notes, clause.start, clause.end
        ):
            slipped.add(clause.sentence)
        if not _may_lie_in(context.first_answer, clause.start, clause.end):
            continue
        first = _FIRST_ANSWER.search(notes, clause.start, clause.end)
        if first is not None and _moves_on(notes, clauses, first.end(), flagged):
            slipped.add(clause.sentence)  # "first instinct was the whole table ... with hints, limit/offset"
        elif first is not None and _REACHED_WITH_HELP_BEFORE.search(notes, max(0, first.start() - 120), first.start()):
            slipped.add(clause.sentence)  # "Got to optimistic locking after two hints (first answer was synchronized"
    for clause in clauses:
        if (
            clause.sentence > 0
            and _FIXED_WITH_HELP.match(notes, clause.start, clause.end)
            and not _STILL_BAD.search(notes, clause.start, ends[clause.sentence])
        ):
            # "she returned the whole array and said client can filter. After some discussion
            # she added a `page` parameter": the answer before, moved on from with help.
            slipped.add(clause.sentence - 1)
    return slipped


_CLOSED_AFTER = gated(r"[.!?,;]{0,3}([\x27\x22’”])")


def _quoted(notes: str, clause: Clause, hit: _Hit) -> bool:
    """Whether the match sits inside quotes: the words the candidate said ("said 'CAP'")."""
    before, after = notes[clause.start : hit.start], notes[hit.end : clause.end]
    closed = _CLOSED_AFTER.match(notes, clause.end)  # '"Three pillars, OpenTelemetry."': the
    after += closed.group(1) if closed else ""  # quote closes after the clause's full stop
    return any(before.count(q) % 2 == 1 and q in after for q in ("'", '"', "‘", "“")) or (
        ("‘" in before and "’" in after) or ("“" in before and "”" in after)
    )


_SPEAKER = gated(
    r"(?:\A|(?<=\n)|(?<=[.?!;] )|(?<=[.?!;]  ))[ \t>*•-]{0,3}(?P<who>me|q|int|interviewer|iv|c|cand|candidate|a)\s{0,2}:(?!/)",
    _FLAGS,
)
_INTERVIEWER: Final = frozenset({"me", "q", "int", "interviewer", "iv"})
_CANDIDATE: Final = ("c", "cand", "candidate", "a")
_LABEL_BEFORE_A_COLON: Final = 11
"""The longest label `_SPEAKER` knows ("interviewer")."""


def _labelled_by_both(notes: str) -> bool:
    """Whether some colon follows an interviewer's label and another a candidate's: what
    every dialogue `_interviewer_turns` reads has. Checked first because `_SPEAKER`, tried at
    every character of a note, costs about 14 us, and most colons follow a heading."""
    interviewer = candidate = False
    colon = notes.find(":")
    while colon >= 0 and not (interviewer and candidate):
        label = notes[max(0, colon - _LABEL_BEFORE_A_COLON - 2) : colon].rstrip().lower()
        interviewer = interviewer or label.endswith(tuple(_INTERVIEWER))
        candidate = candidate or label.endswith(_CANDIDATE)
        colon = notes.find(":", colon + 1)
    return interviewer and candidate


def _interviewer_turns(notes: str) -> list[tuple[int, int]]:
    """In a note written as a dialogue ("Me: which isolation level does your service run at
    / C: the default / Me: what about SELECT FOR UPDATE / C: not sure"), the interviewer's
    turns, as (start, end): a topic the interviewer names is their question, not the
    candidate's answer, though they write it without a question mark. None in a note
    without both speakers."""
    if not _labelled_by_both(notes):
        return []  # what the search below finds, for a fraction of its cost: most notes
    labels = list(_SPEAKER.finditer(notes))
    who = {label.group("who").lower() for label in labels}
    if who.isdisjoint(_INTERVIEWER) or who <= _INTERVIEWER:
        return []
    ends = [label.start() for label in labels[1:]] + [len(notes)]
    return [
        (label.end(), end)
        for label, end in zip(labels, ends, strict=True)
        if label.group("who").lower() in _INTERVIEWER
    ]


RED_FLAG_HEAD_TRIMMED = 0.5
"""How far past its threshold the red-flag head must read a note without its first or last
sentence (`_without_an_end`) to flag it when the whole note fell short. Leaving a quarter of
`dev`'s voices out at a time, with a held-out sentence about the interview before each
note, 97.41 % of red flags were found without the trimmed reading, 98.28 % at 0, 98.14 %
at 0.5 and 97.85 % at 1.0; notes flagged in error 1.72, 1.82, 1.76 and 1.74 %. As written:
98.72 -> 98.86 / 98.84 / 98.80 % found, 1.38 -> 1.45 / 1.41 / 1.40 % flagged in error."""


def _without_an_end(clauses: list[Clause], modelled: list[Clause], hits: list[_Hit]) -> list[list[Clause]]:
    """`modelled` without its first sentence, and without its last, where the lexicons found
    nothing in that sentence: the red-flag head weighs the note as a whole, so a sentence
    about something else ("Call started 10 min late on my end.") thins out a red flag's
    words."""
    sentences = sorted({c.sentence for c in modelled})
    if len(sentences) < 3:
        return []
    found = {clauses[h.clause].sentence for h in hits}
    starts = {s: min(c.start for c in modelled if c.sentence == s) for s in (sentences[0], sentences[-1])}
    ends = {s: max(c.end for c in modelled if c.sentence == s) for s in (sentences[0], sentences[-1])}
    rests = []
    for end in (sentences[0], sentences[-1]):
        if any(starts[end] <= c.start < ends[end] and c.sentence in found for c in clauses):
            continue
        rests.append([c for c in modelled if c.sentence != end])
    return rests


def _the_bottom_line_is_no(
    notes: str, clauses: list[Clause], items: list[tuple[int, Kind, str, float, _Hit]], asides: list[tuple[int, int]]
) -> bool:
    """Whether the note's last sentence is the interviewer's no-hire ("Good on indexes. No
    hire.", "Meets the bar? Not really.") and nothing in it says hire: then the note is weak
    however well the rest reads, since the recruiter would otherwise see a strong score over
    the interviewer's own no. The last sentence only: a verdict up front ("Net: lean no. -
    designed the transfers API properly ...") may be taken back by what follows, and a
    one-word "meh" or "no" is no bottom line."""
    verdicts = [(kind, signal, hit) for _, kind, signal, _, hit in items if signal.startswith("judgement.verdict.")]
    if not verdicts or any(kind == "strong" for kind, _, _ in verdicts):
        return False
    own = [c.sentence for c in clauses if not any(start <= c.start < end for start, end in asides)]
    if not own:
        return False
    last = [c for c in clauses if c.sentence == own[-1]]
    if _ANOTHER_SCOPE.search(notes, last[0].start, last[-1].end):
        return False  # "No hire overall because of the coding round, but databases was the strongest part."
    return any(
        signal in (_NO_HIRE, _RESULT_NOT_SUPPORTED) and clauses[hit.clause].sentence == own[-1]
        for _, signal, hit in verdicts
    )


_ANOTHER_SCOPE = gated(
    r"\b(overall|debrief|other|round|loop|panel|staff|principal|because of|due to|for (senior|junior|mid\w{0,6}|lead))\b",
    _FLAGS,
)
"""A no-hire about something beyond this competency ("Overall no hire (failed the system
design round)", "Not ready for staff."): the ordinary verdict weighs it, no cap."""


def _one_verdict_per_span(items: list[tuple[int, Kind, str, float, _Hit]]) -> list[tuple[int, Kind, str, float, _Hit]]:
    """A bottom line read as a doubt ("I don't think she meets the bar", "not sure I'd call
    it a hire") is no hire: a hire pattern over the same words, which the doubt's negation
    did not reach, would show a recruiter a strong hire quoting the doubt."""
    doubts = [i[4] for i in items if i[1] == "weak" and i[2].startswith("judgement.verdict.")]
    if not doubts:
        return items
    return [
        item
        for item in items
        if not (
            item[1] == "strong"
            and item[2].startswith("judgement.verdict.")
            and any(d.start < item[4].end and item[4].start < d.end for d in doubts)
        )
    ]


def _one_flag_per_practice(
    items: list[tuple[int, Kind, str, float, _Hit]], competency: Competency
) -> list[tuple[int, Kind, str, float, _Hit]]:
    """Two red-flag patterns over the same words name one practice once: the competency's
    own named signal over a generic hazard pair ("stores passwords in plain text"), and
    over another competency's."""
    if sum(item[1] == "red_flag" for item in items) < 2:
        return items
    own = f"{competency.value}."
    dropped: set[int] = set()  # indexes in `items` (not ids: compiled code copies tuples)
    flags = sorted(
        (n for n, i in enumerate(items) if i[1] == "red_flag"),
        key=lambda n: (not items[n][2].startswith(own), ".hazard." in items[n][2], items[n][0]),
    )
    kept: list[_Hit] = []
    for n in flags:
        hit = items[n][4]
        if any(k.clause == hit.clause and k.start < hit.end and hit.start < k.end for k in kept):
            dropped.add(n)
        else:
            kept.append(hit)
    return [item for n, item in enumerate(items) if n not in dropped]


def _scanned(
    notes: str,
    clauses: list[Clause],
    starts: list[int],
    scans: _Scans,
    competency: Competency,
    own_lexicon: _CompiledLexicon,
    judgement: _CompiledLexicon,
    scanned: Scanned | None = None,
) -> tuple[dict[int, set[int]], dict[int, set[int]], _Cues]:
    """Where each pattern can match, from the scans of the note: the competency's own
    patterns (indexes below `own`), then the judgement words', then the context
    regexes'. A match lies inside its clause, so the clause holding a match's last
    character is the one to search; a match of a whole clause ends where its clause ends,
    so other ends of such a pattern name no clause to search."""
    if scans.located is not None:  # the loop below, compiled: no Python call per match
        if scanned is None:
            [scanned] = _scan_all([(notes, competency)], scans)
        mine, shared, _, _ = scanned
        located, judged, ends = scans.located[competency].locate(mine, shared, starts, clauses)
        return located, judged, _Cues(*ends)
    where_own: dict[int, set[int]] = {}
    where_judged: dict[int, set[int]] = {}
    context: tuple[list[int], ...] = tuple([] for _ in _CONTEXT)
    numbers = scans.numbers[competency]
    data = scans.shared.encode(notes)
    found = scans.own[competency].ends(data)
    found += [(numbers[index], end) for index, end in scans.shared.ends(data)]
    own, whole_own, whole_judged = len(own_lexicon.patterns), own_lexicon.whole, judgement.whole
    bound, first, locate = own + len(judgement.patterns), starts[0], bisect.bisect_right
    for index, end in found:
        if index >= bound:
            if index < bound + len(_CONTEXT):
                context[index - bound].append(end)
            continue
        if end <= first:
            continue  # before the first clause: a bullet or blank, where no match lies
        clause = locate(starts, end - 1) - 1
        if index < own:
            where, key, whole = where_own, index, whole_own
        else:
            where, key, whole = where_judged, index - own, whole_judged
        if key in whole and end != clauses[clause].end:
            continue
        known = where.get(key)
        if known is None:
            where[key] = {clause}
        else:
            known.add(clause)
    return where_own, where_judged, _Cues(*(sorted(ends) if len(ends) > 1 else ends for ends in context))


def _where(folded: str, starts: list[int], compiled: _CompiledLexicon) -> dict[int, set[int]]:
    """The plain search's clauses to try each pattern in: those holding one of its triggers
    (every clause for a pattern without triggers, and for every pattern of "every")."""
    wanted: dict[int, set[int]] = {}
    for last, indexes in compiled.triggers.iter(folded) if len(compiled.triggers) else ():
        clause = bisect.bisect_right(starts, last) - 1
        for index in indexes:
            wanted.setdefault(index, set()).add(clause)
    for index in compiled.untriggered:
        wanted[index] = set(range(len(starts)))
    return wanted


def _hits(
    notes: str,
    folded: str,
    clauses: list[Clause],
    starts: list[int],
    compiled: _CompiledLexicon,
    wanted: dict[int, set[int]],
) -> list[_Hit]:
    """Each pattern's matches inside one clause, searched only in the clauses `wanted` names."""
    hits = []
    patterns = compiled.patterns
    for index in sorted(wanted) if len(wanted) > 1 else wanted:
        pattern = patterns[index]
        rule = pattern.rule
        if rule.pair or rule.follows or pattern.sentence_wide:
            hits += _sentence_hits(notes, folded, clauses, starts, wanted[index], pattern)
            continue
        places = wanted[index]
        for clause in sorted(places) if len(places) > 1 else places:
            start, end = clauses[clause][:2]
            if pattern.requirements and not _possible(folded[start:end], pattern):
                continue
            if rule.whole_clause:
                whole = pattern.regex.fullmatch(notes, start, end)
                if whole:
                    hits.append(_Hit(clause, *whole.span(), rule))
                continue
            for match in pattern.regex.finditer(notes, start, end):
                left, right = match.span()
                if right > left:
                    hits.append(_Hit(clause, left, right, rule))
    return hits


def _set_aside(asides: list[tuple[int, int]], hit: _Hit) -> bool:
    """Whether `hit` starts in a clause set aside (`asides.kept`)."""
    return any(start <= hit.start < end for start, end in asides)


def _inside(spans: list[tuple[int, int, int]], hit: _Hit) -> bool:
    """Whether `hit` starts inside one of `spans` (clause, start, end) of its clause."""
    return any(clause == hit.clause and start <= hit.start < end for clause, start, end in spans)


def _possible(folded: str, pattern: _CompiledPattern) -> bool:
    return all(any(literal in folded for literal in required) for required in pattern.requirements)


def _sentence_hits(
    notes: str, folded: str, clauses: list[Clause], starts: list[int], wanted: set[int], pattern: _CompiledPattern
) -> list[_Hit]:
    """A pair's two ideas may sit in two clauses of one sentence ("protects the ledger with
    a static synchronized method, although the service runs as four replicas"), and those of
    a pair that `follows` in two consecutive sentences. A wanted clause may hold either idea
    (the scan names the clause of a match's end, the plain search that of a literal), so
    a pair that follows is searched in the sentence before and after a wanted one, each
    pair of sentences a search of its own: the same matches in every search mode."""
    hits: list[_Hit] = []
    sentences = {clauses[c].sentence for c in wanted}
    if pattern.rule.follows:
        windows = sorted({(s - 1, s) for s in sentences} | {(s, s + 1) for s in sentences})
    else:
        windows = [(s, s) for s in sorted(sentences)]
    for first, last in windows:
        members = [c for c in clauses if first <= c.sentence <= last]
        if not members:
            continue
        end = members[-1].end
        if pattern.sentence_wide:  # up to the next sentence: a closing parenthesis ends no clause
            end = next((c.start for c in clauses if c.sentence > last), len(notes))
        if pattern.requirements and not _possible(folded[members[0].start : end], pattern):
            continue
        for match in pattern.regex.finditer(notes, members[0].start, end):
            hit = _Hit(bisect.bisect_right(starts, match.start()) - 1, match.start(), match.end(), pattern.rule)
            if first < last and clauses[hit.clause].sentence == last:
                # Found again in the window that opens at its sentence, which also reads the next
                # one: there a look-ahead sees what the next sentence says ("SETNX ... delete it
                # at the end. The key gets a 30s TTL too").
                continue
            if match.end() > match.start() and hit not in hits:  # two sentences' windows overlap
                hits.append(hit)
    return hits


def _right_before(notes: str, clause: Clause, start: int) -> bool:
    """Whether the clause's last negation before `start` is at most three words before it: a
    verdict is negated by its own words ("don't think she meets the bar"), not by a practice
    denied earlier in a sentence that runs on ("+ no redirects i think thats a yes")."""
    cues = list(_NEGATION.finditer(notes, clause.start, start))
    if not cues:
        return False
    # ", strong hire": up to two characters into the verdict, as a pattern may open with the
    # comma and its space.
    paused = _VERDICT_AFTER_A_PAUSE.search(notes, cues[-1].end(), min(start + 2, clause.end))
    return len(notes[cues[-1].end() : start].split()) <= 3 and not paused


_NO_ANSWER = gated(
    r"\W{0,3}(not really|no|nope|nah|not quite|not yet|not for me|(hmm|sadly|honestly|unfortunately)\W{1,3}(no|not really|not yet)"
    r"|i (do ?n.?t|do not) (really )?think so|i doubt it|doubtful|hardly|(clearly|definitely|certainly|of course|absolutely|obviously) not"
    r"|absolutely no way|yeah,? no)(?=\s{0,2}([,.;!\-–—]|$))(?!\s{0,2},\s{0,2}(it |she |he |they )?(exceeds?|surpass\w{0,3}|well|way|far|more than))",
    _FLAGS,
)
"""The answer to a bottom-line question that says no, a word or two ending where the answer
pauses ("Not quite, close though."): not "No doubts." or "No, exceeds it."."""
_YES_ANSWER = gated(
    r"\W{0,3}(yes|yep|yeah|definitely|absolutely|easily|clearly|comfortably|for sure|100 ?%|no doubt|without (a )?doubt"
    r"|no question|no hesitation|hell yes|of course)\b(?!\W{0,3}(but|not|no|although|though|if|only if|unless|for (a |the )?(junior|mid\w{0,6})|and no)\b)",
    _FLAGS,
)
"""The answer to a bottom-line question that says yes ("Meets the bar? Definitely.")."""
_NO_HIRE = "judgement.verdict.no_hire"
_DEFERRED = "judgement.complacent.deferred"
_VERDICT_AFTER_A_PAUSE = gated(r"[,:]\s")
"""A verdict after a comma or a colon is not the negation's ("Nothing to add, strong hire")."""


def _negation(notes: str, clause: Clause, start: int, end: int | None = None, context: _Cues = _ANYWHERE) -> str | None:
    """How a negation around the match, in its clause, bears on it: "gap" (the
    candidate lacks it), "choice" (the candidate chose not to: no evidence), or None."""
    if (
        end is not None
        and _may_lie_in(context.negated_after, end, clause.end)
        and _NEGATED_AFTER.match(notes, end, clause.end)
    ):
        return "gap"  # "the root cause was never established"
    if not _may_lie_in(context.negation, clause.start, start):
        return None  # what the search below finds, without searching
    before = notes[clause.start : start]
    cues = list(_NEGATION.finditer(before))
    if not cues:
        return None
    cue = cues[-1]
    between = before[cue.end() :]
    if _NOT_A_NEGATION_AFTER.match(between) or _SOMETHING_ELSE_NEGATED.match(between) or _SCOPE_BREAKER.search(between):
        return None
    if _CONDITION_BEFORE.search(before, max(0, cue.start() - 30), cue.start()):
        return None  # "if we couldn't lock, the exclusion constraint catches it": a case the design covers
    if _OR_NOT.search(before, 0, cue.end()) and _PUNCTUATION_NEXT.match(between):
        return None  # "shared memory or not, cluster module versus worker threads": an alternative
    if _COMMA_NOT.search(before, 0, cue.end()) and _CORRECTION_ENDS.search(between):
        return None  # "in the service layer, not in the controller, and RLS as a backstop": the "not" ended
    if _NOT_THE_DEFAULT.match(between) and _chose_against_the_default(notes, clause, before, cue):
        return "choice"  # "on a dedicated executor, not the common ForkJoinPool": the default passed over
    if cue.group().lower() == "without" and len(cues) > 1 and len(before[cues[-2].end() : cue.start()].split()) <= 8:
        return None  # "would never add an index without checking the writes": a must, not a gap
    if _TOPIC_NEGATION_BEFORE.search(before, max(0, cue.start() - 120), cue.start()):
        return None
    if _BELIEF.match(between) and (_MYTH_AFTER.search(between) or _MYTH_AFTER.match(notes, start, clause.end)):
        return None  # "didn't say JWT always better": the myth is denied, not the topic
    scoped = _KNOWLEDGE_FRAME.sub(" ", between)
    words = len(scoped.split())
    if not (words <= 6 or (words <= 16 and _is_list(scoped))):
        return None
    if _CHOICE.match(between) or _MODAL_CHOICE.match(before, cue.start()) or _HOMEMADE.match(between):
        return "choice"
    if end is not None and _RIGHTLY_AFTER.match(notes, end):
        return "choice"  # "No synchronized, no ReentrantLock, no Redlock - rightly."
    if end is not None and _MYTH_NOUN_AFTER.match(notes, end, clause.end):
        return "choice"  # "No exactly-once fantasy": what is denied is the myth
    if end is not None and _NOT_NEEDED_AFTER.match(notes, end, clause.end):
        return "choice"  # "no lock needed since the unique index catches it"
    if end is not None and _NOT_EVERYWHERE_AFTER.match(notes, end, clause.end):
        return "choice"  # "didn't denormalize everything, only where reads hurt"
    if end is not None and _UNTIL_SEEN_AFTER.match(notes, end, clause.end):
        return "choice"  # "didn't denormalise a thing till she'd seen the plan": measured first
    if _INSTEAD_AHEAD.match(notes, clause.end if end is None else end):
        return "choice"  # "no alerts on CPU; alerts on the error rate instead"
    if end is not None and _TWO_PHASE.search(notes, start, end) and _compensated(notes):
        return "choice"  # "reserve in tx 1, call the PSP outside, tx 2 confirms; compensating release. no 2PC."
    return "gap"


_CONDITION_BEFORE = gated(
    r"\b(if|when|whenever|unless|in case)\s{1,3}(we|he|she|they|it|you|i|the\s{1,3}[\w-]{1,15})\s{1,3}$", _FLAGS
)
"""Before a negation: a condition the candidate's design answers ("if we couldn't lock, the
exclusion constraint catches it", round 152), not something they lack."""


_KNOWLEDGE_FRAME = gated(
    r"^\s{0,3}(really\s{1,3}|yet\s{1,3})?(have|has|had|got|show(ed)?|give|gave|offer(ed)?)\s{1,3}(much\s{1,3}of\s{1,3})?"
    r"(a|an|any|the|much|real|clear|good|firm|strong|solid)?\s{0,3}(real\s{1,3}|clear\s{1,3}|good\s{1,3}|firm\s{1,3})?"
    r"(view|opinion|idea|sense|feel|grasp|handle|story|plan|answer|understanding|notion|instinct|position)s?\s{1,3}"
    r"(yet\s{1,3})?(on|of|about|for|around|regarding)\s",
    _FLAGS,
)
"""Between a negation and what it negates, words that only frame the knowledge: "doesn't have
much of a view yet on versioning, pagination or error formats" negates each item as "no view
on versioning, pagination or error formats" does; they do not count toward the negation's reach."""


_UNTIL_SEEN_AFTER = gated(
    r"[^.;!?]{0,40}?\b(until|till)\s{1,3}(he|she|they|the\s{1,3}candidate)(['’]d|\s{1,3}had)\s{1,3}"
    r"(seen|measured|profiled|checked|read|confirmed|proved|proven|benchmarked)\b"
    r"(?!\s{1,3}(my|our|the\s{1,3}interviewer['’]s|your)\b)",
    _FLAGS,
)
"""After a practice the candidate did not do: the evidence they waited for ("didn't add an index
until she'd seen the plan"; 7 of 7 corpus notes so worded are strong). Not "until I explained" nor
"before he looked at my hint": a gap the interviewer had to fill."""


def _chose_against_the_default(notes: str, clause: Clause, before: str, cue: re.Match[str]) -> bool:
    """Whether the "not" before "the common ForkJoinPool" follows the candidate's choice, told in
    its clause before a comma ("runs it on a dedicated executor, not ...") or in the clause before
    an opening parenthesis or dash ("... bounded executor (not the common ForkJoinPool)"), and not
    what they know ("Knows executors in general, not the common ForkJoinPool": a gap)."""
    if _COMMA_NOT.search(before, 0, cue.end()):
        told = before[: cue.start()]
    elif not before[: cue.start()].strip() and notes[: clause.start].rstrip()[-1:] in ("(", "—", "–"):
        told = notes[max(0, clause.start - _CHOICE_REACH) : clause.start]
    else:
        return False
    return _CHOSE.search(told) is not None and _KNOWS.search(told) is None


_CHOICE_REACH = 120
"""How far before an opening parenthesis the choice it qualifies is looked for."""
_CHOSE = gated(
    r"\b(on|onto|into|with|via|uses?|used|using|runs?|ran|running|puts?|putting|goes|went|own|dedicated|separate|bounded)\b",
    _FLAGS,
)
_KNOWS = gated(r"\b(knows?|knew|understands?|understood|familiar|heard of|aware)\b", _FLAGS)
_TWO_PHASE = gated(r"\b(2pc|two[- ]phase[- ]commit|xa|distributed\s{1,2}transactions?)\b", _FLAGS)
_COMPENSATED = gated(
    r"\bcompensating\s{1,2}(release|refunds?|transactions?|actions?|steps?|writes?|calls?|events?|updates?|entr(y|ies)|cancel\w{0,9})\b"
    r"|\bcompensations?\s{1,2}(step|event|handler|action)s?\b",
    _FLAGS,
)
_NEGATED_BEFORE = gated(r"\b(no|not|never|nor|without|lacks?|lacked|missing)\b[^.;:!?\n]{0,25}$", _FLAGS)


def _compensated(notes: str) -> bool:
    """Whether the note's design compensates ("failure -> compensating release"), not only
    names it as missing ("no compensation, no 2PC"): then a distributed transaction left out
    of it ("no 2PC") is the candidate's choice, not a gap."""
    return any(
        _NEGATED_BEFORE.search(notes, max(0, found.start() - 30), found.start()) is None
        for found in _COMPENSATED.finditer(notes)
    )


_OR_NOT = gated(r"\bor\s{1,2}not$", _FLAGS)
_MYTH_NOUN_AFTER = gated(
    r"[\w-]{0,20}\s{1,3}(fantas(y|ies)|illusions?|myths?|delusions?|wishful\s{1,3}thinking)\b", _FLAGS
)
""""No exactly-once fantasy", "no silver-bullet illusions": the candidate holds no myth about
the topic; no evidence either way."""
_HOMEMADE = gated(
    r"\s*(hand-?rolled|home-?grown|home-?made|bespoke|custom|diy|app(lication)?[- ]level|in-?app|in-?process)\s", _FLAGS
)
""""No hand-rolled locking (the database arbitrates)", "no app-level lock": the candidate's own
version of the practice left out, a choice, not a gap."""
_RIGHTLY_AFTER = gated(
    r"([\s,/]{1,3}(or|and|nor)?\s{0,2}[\w.@-]{1,25}){0,4}\s{0,2}[,;:—–-]{1,2}\s{0,2}(and\s{1,2})?"
    r"(rightly|correctly|sensibly|wisely|deliberately)(\s{1,2}so)?\b",
    _FLAGS,
)
""""No Redlock - rightly", "no global lock, and rightly so": a negation the interviewer approves
of is the candidate's choice (not "no magic" or "no fuss", which tell what is missing as often)."""
_COMMA_NOT = gated(r"[,;(]\s{0,2}(and\s{1,2}|but\s{1,2})?not$", _FLAGS)
_CORRECTION_ENDS = gated(r"\S\s{0,2}[,;)]\s{0,2}(and|plus|with|then)?\b", _FLAGS)
"""", not in the controller, and ...": a correction ("X, not Y") whose "not" ends at the next
comma; what follows is the candidate's again."""
_NOT_THE_DEFAULT = gated(
    r"\s{1,2}(on\s{1,2}|in\s{1,2}|via\s{1,2}|to\s{1,2})?(the\s{1,2}|a\s{1,2})?(default|common|shared|global|built-?in)\s",
    _FLAGS,
)
"""", not the common ForkJoinPool" after the candidate's choice: the default they chose against,
no knowledge they lack (about 130 corpus notes say "..., not the common pool"; round 138 wrote
it in parentheses, and the topic was read as a gap)."""
_PUNCTUATION_NEXT = gated(r"\s{0,2}[,;:.)!?]")
_ALL_BUT = gated(r"\b(beyond|except|besides|other than|apart from|aside from|save for)\b|->|→|=>|:(?!\S)", _FLAGS)
"""Between a negation and a poor practice, what turns the practice into all there is: "no
monitoring beyond 'users tell us'", "no metrics, no alerts -> 'customers tell us'", "not
bcrypt, not anything: AES with the key in the config", "not sure where secrets live besides
the .env that's checked in": the practice is the candidate's, not one rejected."""
_NEW_SUBJECT = gated(
    r"[,;]\s{0,3}(and|but|so|while|whereas|plus)\s{1,3}(the|his|her|their|its|our|this|that|every|each|all|it|he|she|they|we|i)\b",
    _FLAGS,
)
"""After "no alerts or dashboards, and the health endpoint returns UP": a new clause with a
subject of its own, out of the reach of the list's "no"."""
_UNDONE = gated(
    r"(?<!name-)(?<!name )\b(drop(s|ped|ping)?|remov(e|es|ed|ing)|disabl(e|es|ed|ing)|skip(s|ped|ping)?|turn(s|ed|ing)? off|"
    r"switch(es|ed|ing)? off|ignor(e|es|ed|ing)|rip(s|ped|ping)? out|bypass(es|ed|ing)?|comment(s|ed|ing)? out|got rid of|"
    r"do(es)?n[’']?t trust|does not trust|distrust(s|ed)?|gave up on|give up on|"
    r"dismiss(es|ed|ing)?|(wave|waves|waved|waving|brush|brushes|brushed|brushing) (off|away|aside)|pooh-?pooh(s|ed|ing)?|"
    r"scoff(s|ed|ing)? at)\s{1,3}((?!(after|once|when|until|till|following)\b)\w{1,15}\s{1,3}){0,3}$",
    _FLAGS,
)
"""Before a good practice: the candidate undid it ("dropped the foreign keys", "turns off
CSRF", "doesn't trust database constraints") or waved it away ("dismissed RLS as overkill"):
no strength, a weakness. Not "remove it after the deprecation window": the words between say
when the candidate would remove the old field, once the good practice has run its course."""
_DISMISSAL = gated(r"dismiss|wav|brush|pooh|scoff", _FLAGS)
_ALTERNATIVE_AHEAD = gated(
    r"[^.;!?\n]{0,100}\b(instead|rather|in\s{1,3}favou?r|went\s{1,3}(for|with)|chose|picked|opted|preferred|switched|moved\s{1,3}to|used|uses|using)\b",
    _FLAGS,
)
""""Dismissed offset pagination as unstable and went for keyset cursors": a practice set
aside for a better one, not a good practice refused."""
_NEEDLESS = gated(
    r"\W{1,3}(the\s{1,3}|an?\s{1,3}|some\s{1,3}|two\s{1,3}|three\s{1,3})?"
    r"(unused|redundant|duplicat\w{1,3}|stale|dead|old|legacy|bloated|extra|unneeded|unnecessary|overlapping)\b",
    _FLAGS,
)
""""Dropped unused indexes": removing what is not needed is good practice."""

_CONTEXT = (
    _NEGATION,
    _REJECTION,
    _VERDICT_AFTER,
    _NEGATED_AFTER,
    _MENTIONED,
    _UNDONE,
    _SOMEONE_ELSES,
    _CORRECTED,
    _FIRST_ANSWER,
    _INTERVIEWERS_WORDS,
    _WISHED,
    _THE_READER_GETS,
    _REJECTION_INSIDE,
    _NO_PRACTICE_INSIDE,
    _PREDICTED,
    ASIDE_CUE,
)
"""The context regexes the scan looks for, in the order of `_Cues`' fields."""


_LIST_SEPARATOR = gated(r",|/|\b(?:or|nor|and)\b", _FLAGS)
_CLAUSE_AFTER_ALTERNATIVES = gated(r"\b(or|nor)\b[^,]{0,40},\s{0,2}and\s{1,3}$", _FLAGS)
"""After items joined by "or", a comma and "and" right before the match: the list ended and a
clause of its own begins (a list joins its items one way: "X, Y or Z", "X, Y, and Z")."""


def _is_list(text: str) -> bool:
    """Whether the words between a negation and a match read as a list it scopes over:
    "no idea about isolation levels, MVCC or locking", short items between separators."""
    if _CLAUSE_AFTER_ALTERNATIVES.search(text):
        return False  # "logs it without the payload or key, and commits the offset anyway": a new clause
    items = [item for item in _LIST_SEPARATOR.split(text) if item and not item.isspace()]
    joined = re.search(r"\b(or|nor|and)\b|/", text, _FLAGS) is not None
    # Two items at least: "no expiry 'so users don't get logged out', and logout just..." has one.
    # Before "or", the first may carry the verb the negation belongs to ("did not consider a
    # new field, a version, or a deprecation window"); before "and" a verb starts a clause of
    # its own ("is not enough to stop overselling, and used a conditional update").
    first = 5 if re.search(r"\b(or|nor)\b", text, _FLAGS) else 3
    return (
        joined and len(items) > 1 and all(len(item.split()) <= (first if i == 0 else 3) for i, item in enumerate(items))
    )


def _undone(notes: str, clause: Clause, hit: _Hit, context: _Cues) -> bool:
    """Whether the candidate undid the good practice the match names, as their own act: not
    "would never drop the foreign keys", not "found the team had dropped them"."""
    if not _may_lie_in(context.undone, clause.start, hit.start):
        return False  # what the search below finds, without searching: most strengths
    undone = _UNDONE.search(notes, clause.start, hit.start)
    if undone is None or _NEEDLESS.match(notes, undone.end(1)):
        return False
    if _DISMISSAL.match(undone.group(1)) and _ALTERNATIVE_AHEAD.match(notes, hit.end):
        return False
    return not _rejected(notes, clause, _Hit(hit.clause, undone.start(), hit.end, hit.rule), context)


def _rejected(notes: str, clause: Clause, hit: _Hit, context: _Cues = _ANYWHERE, until: int = 0) -> bool:
    """Whether the clause rejects a poor practice rather than describing the candidate's.
    `until`: the end of the clause the match ends in, when it ends past its own clause (a
    pattern that names a parenthesis: "catch (Exception e) with a log.debug and moves on is the
    anti-pattern he removed"): what follows the practice is read there."""
    after = max(clause.end, hit.end, until)
    if _refused_when_offered(notes, hit) or _FIXED_THEN_WHICH.search(notes, max(0, hit.start - 120), hit.start):
        return True
    if (_may_lie_in(context.verdict, hit.end, after) and _VERDICT_AFTER.match(notes, hit.end, after)) or (
        (hit.rule.pair or hit.rule.follows) and _rejected_inside(notes, hit, context)
    ):
        return True
    if _RISK_AFTER.match(notes, hit.end, after) and _KNEW_BEFORE.search(notes, clause.start, hit.start):
        return True
    if _PITFALL_AFTER.search(notes, hit.start, after):
        return True  # the match may take in the pitfall's own words ("... template strings is where")
    if _OWNED_AFTER.search(notes, hit.start, after) and _KNEW_BEFORE.search(notes, clause.start, hit.start):
        return True
    if _describes_a_finding(notes, clause, hit):
        return True
    if not _may_lie_in(context.rejection, clause.start, hit.start):
        return False
    before = notes[clause.start : hit.start]
    cues = [
        cue
        for cue in _REJECTION.finditer(before)
        if not _ISSUES_A_THING.match(notes, clause.start + cue.start())
        and not (cue.group().lower() == "why" and _OPENS_A_QUESTION.fullmatch(before, 0, cue.start()))
        and not _EXPLAINED_WHAT_THEY_DID.match(before, cue.start())
    ]
    if not cues or _not_known(notes, clause, hit, context):
        return False  # "didn't know that @Transactional on a self-invoked method skips the proxy": a gap
    cue = cues[-1]
    between = before[cue.end() :]
    negating = _NEGATION.fullmatch(cue.group()) is not None  # "never runs X with Y": "with" names the practice denied
    found = _DISCOVERY.fullmatch(cue.group()) is not None
    if found and _ALSO_FOUND.search(between) and not _INTERVIEWER_BEFORE.search(before, 0, cue.start()):
        return True  # "spotted that the query string reaches find(), and that $where with user input..."
    if negating and _MORE_THAN.match(between):
        return True  # "didn't just add an index to every column, said each one costs writes"
    if (
        _NOT_A_NEGATION_AFTER.match(between)
        or (not negating and _NOT_REJECTED_AFTER.match(between))
        or _NEW_SUBJECT.search(between)
        or (negating and (_ALL_BUT.search(between) or _ONLY_THIS.search(between)))
    ):
        return False
    if _DISCOVERY.fullmatch(cue.group()) and _INTERVIEWER_BEFORE.search(before, 0, cue.start()):
        return False  # "the interviewer flagged that he SSHes into prod": their finding, his practice
    reach = (18 if _FAR_DISCOVERY.fullmatch(cue.group()) else 12) if found else 6
    if found and _TOLD_NEXT.search(between):
        return False  # "spotted the IDOR and told me his team's service logs card numbers": his own system
    return (len(between.split()) <= reach and "," not in between) or _is_list(between)


_FIXED_THEN_WHICH = gated(
    r"\b(fixed|closed|patched|plugged|removed|replaced|killed|retired|rewrote|ripped\s{1,3}out|got\s{1,3}rid\s{1,3}of)\s{1,3}"
    r"(an?|the|their|his|her|that|this|its)\s{1,3}[^.;!?,]{0,60},\s{0,2}(which|that|where)\s{1,3}(\w{1,15}\s{1,3}){0,2}$",
    _FLAGS,
)
"""Before a practice told in a relative clause, what the candidate fixed ("closed an SSRF hole in
the chart-tile proxy, which fetched any URL the client supplied"): the practice is the hole, not theirs."""
_OFFERED_BY_THE_INTERVIEWER = gated(
    r"\b(((when|after|as|once|if)\s{1,3})?(I|we|the\s{1,3}interviewer)\s{1,3}(suggested|proposed|floated|pitched|offered|tried|pushed\s{1,3}for)"
    r"|(she|he|they)\s{1,3}talked\s{1,3}(me|us)\s{1,3}out\s{1,3}of)\b[^.!?]{0,80}$",
    _FLAGS,
)
_REFUSED_AFTER = gated(
    r"(?:[^.!?]|[.!?][\"”’']?\s{1,3}(?=(she|he|they|the\s{1,3}candidate)\b)){0,140}?\b(she|he|they|the\s{1,3}candidate)\s{1,3}((immediately|strongly|firmly|rightly|politely|hard|quickly|flatly)\s{1,3})?"
    r"(objected|pushed\s{1,3}back|said\s{1,3}no(?!\s{1,3}(problem|worries|issue|doubt)\b)|refused|declined|disagreed|shot\s{1,3}it\s{1,3}down|talked\s{1,3}me\s{1,3}out"
    r"|wasn[’']?t\s{1,3}having\s{1,3}it|would\s?n[’']?t\s{1,3}(have|hear\s{1,3}of)\s{1,3}it|vetoed|balked|rejected\s{1,3}it"
    r"|said\s{1,3}(that|it|this)\s{1,3}only\s{1,3}works|did\s?n[’']?t\s{1,3}(agree|buy\s{1,3}it|bite|go\s{1,3}for\s{1,3}it)|did\s{1,3}not\s{1,3}(agree|bite)"
    r"|(was\s?n[’']?t|was\s{1,3}not|is\s?n[’']?t|not)\s{1,3}having\s{1,3}(it|that|the\s{1,3}shortcut))\b",
    _FLAGS,
)


def _refused_when_offered(notes: str, hit: _Hit) -> bool:
    """Whether the practice is the interviewer's bait that the candidate turned down ("When I
    suggested just adding synchronized, she said that only works within one JVM", "When I
    proposed GET /orders/{id}/cancel she objected", "She talked me out of logging the full
    request"): the refusal is the evidence, the practice never theirs. Taking the bait ("agreed
    when I suggested it") is not a refusal, so the practice stays."""
    offered = _OFFERED_BY_THE_INTERVIEWER.search(notes, max(0, hit.start - 100), hit.start)
    if offered is None:
        return False
    if offered.group(1).lower().startswith(("she", "he", "they")):
        return True  # "talked me out of": the refusal came first
    return _REFUSED_AFTER.match(notes, hit.start, min(len(notes), hit.end + 160)) is not None


_ONLY_THIS = gated(r"[,;]\s{0,2}(just|only|simply|merely)\s", _FLAGS)
"""Between a negation and a poor practice, what the candidate does instead of the denied item:
"no pagination on /fleet/receipts at all, just send the whole list and let the app filter" (round
151) tells the practice, it does not reject it (as "no Redis lock, just the row lock" tells the
row lock)."""
_TOLD_NEXT = gated(r"\band\s{1,3}((told|said|described|mentioned)\b|that\s{1,3}(it|he|she|they|we)\b)", _FLAGS)
"""After a discovery: a second account, of the candidate's own system, which the discovery does not reach."""
_FAR_DISCOVERY = gated(
    r"found|noticed|spotted|identified|traced|diagnosed|discovered|caught|(thread|heap)\s{1,3}dumps?\s{1,3}showed",
    _FLAGS,
)
"""Discoveries whose object may be told at length ("Found that the RestTemplate call to the ...
endpoint in the code sample had no timeout"); "explained", "knew" reach less far."""
_FOUND_BEFORE_PARENTHESIS = gated(
    r"\b(found|spotted|identified|noticed|flagged|pointed out|called out|traced|diagnosed)\b[^.;!?\n(),]{0,80}\(\s{0,2}$",
    _FLAGS,
)


def _describes_a_finding(notes: str, clause: Clause, hit: _Hit) -> bool:
    """Whether the match opens a parenthesis right after what the candidate found ("identified
    the SQL injection in my snippet (string concat in a native query)"): the finding told in
    detail, not a practice of theirs (146 of the 150 corpus notes with a parenthesis after
    such a finding are strong)."""
    opening = notes.rfind("(", max(0, clause.start - 3), clause.start + 1)
    if opening < 0 or len(notes[clause.start : hit.start].split()) > 3:
        return False
    found = _FOUND_BEFORE_PARENTHESIS.search(notes, max(0, opening - 100), opening + 1)
    return found is not None and not _INTERVIEWER_BEFORE.search(notes, max(0, found.start() - 20), found.start())


_MORE_THAN = gated(r"\s{0,3}(just|only|merely|simply|blindly)\s", _FLAGS)
""""Didn't just X": the candidate did more than the poor practice, so it is not what they settled on."""
_NOT_KNOWN = gated(
    r"\s{1,3}(know|realis\w{1,3}|realiz\w{1,3}|understand|see|notice|spot|grasp|recogni[sz]e)\s{1,3}"
    r"((that|about|how|why|what|whether)\s{1,3})?((the|a|an|his|her|their|its)\s{1,3})?",
    _FLAGS,
)


_LEFT_UNDONE = gated(
    r"\s{1,3}(re-?throw\w{0,3}|propagat\w{1,3}|log\w{0,3}|alert\w{0,3}|count\w{0,3}|report\w{0,3}|surfac\w{1,3}|escalat\w{1,3}|"
    r"notif\w{1,4}|emit\w{0,3}|track\w{0,3}|record\w{0,3})\b",
    _FLAGS,
)
"""After a negation inside a practice's match, what the practice leaves undone ("catches Exception,
does not rethrow, logs at debug and marks the job DONE", round 152): how the practice is told, not
a rejection of it."""


_QUESTION_OPENER = r"\W{0,3}((but|and|so|then|ok|okay)\W{1,3})?"
"""What may come before a question word that opens its clause ("But why ...", "- and how come ...")."""
_OPENS_A_QUESTION = gated(_QUESTION_OPENER, _FLAGS)
_EXPLAINED_WHAT_THEY_DID = gated(
    r"explain\w{0,3}\s{1,3}(that\s{1,3})?(they|he|she|we|the team)\s{1,3}"
    r"(added|did|had|have|used|use|put|set|turned|disabled|made|kept|stored|store|ran|run|shipped|wrote)\b",
    _FLAGS,
)
""""ended explaining they added csrf().disable() and permitAll() on /admin/**": an account of
what they did, not the candidate explaining why it is wrong."""
_ASKED_WHY = gated(_QUESTION_OPENER + r"(why|how come)\b", _FLAGS)
""""But why crypto.pbkdf2Sync in the handler makes the whole API slow - not clear for him": a
"why" that opens its clause is the interviewer's question, not the candidate explaining why."""


def _not_known(notes: str, clause: Clause, hit: _Hit, context: _Cues = _ANYWHERE) -> bool:
    """Whether the poor practice is what the candidate did not know or see ("didn't know
    @Transactional on a self-invoked method skips the proxy", "did not see the injection"): a
    gap in knowledge, weak evidence; neither a practice of theirs nor one they refuse."""
    if _ASKED_WHY.match(notes, clause.start, hit.start):
        return True  # "But why crypto.pbkdf2Sync in the handler makes the API slow - not clear for him"
    if not _may_lie_in(context.negation, clause.start, hit.start):
        return False
    cues = list(_NEGATION.finditer(notes, clause.start, hit.start))
    return bool(cues) and _NOT_KNOWN.fullmatch(notes, cues[-1].end(), hit.start) is not None


_ISSUES_A_THING = gated(
    r"issues? (an? |the |new |signed |short-lived |long-lived )?(jwts?|tokens?|certs?|certificates?|keys?|cookies?|sessions?|refunds?|credentials?|invoices?|licen[cs]es?)\b",
    _FLAGS,
)
""""Issues JWTs with no expiry": the verb, not "the issue with"."""
_ALSO_FOUND = gated(r"[,;]\s{0,2}(and|or|as well as) (also )?that\s{0,2}$", _FLAGS)


def _rejected_inside(notes: str, hit: _Hit, context: _Cues = _ANYWHERE) -> bool:
    """Whether a rejection lies between a pair's two ideas ("money ... as NUMERIC, never
    double"). A negation the practice itself spells ("tokens don't expire", "lock never
    released") is how the practice is told, not a rejection: with the negation blanked
    out, none of the rule's patterns matches the hit's words any more."""
    spans = []
    if _may_lie_in(context.rejection_inside, hit.start, hit.end):
        spans += [cue.span() for cue in _REJECTION_INSIDE.finditer(notes, hit.start, hit.end)]
    if _may_lie_in(context.no_practice_inside, hit.start, hit.end):
        spans += [cue.span("no") for cue in _NO_PRACTICE_INSIDE.finditer(notes, hit.start, hit.end)]
    for denied in _DENIED_AFTER_A_PAUSE.finditer(notes, hit.start, hit.end):
        if _ANOTHER_ITEM.search(notes, denied.end(), hit.end):
            continue  # "no backoff, no jitter"; "no sessions, tokens in the query string": the denial is one item's
        told = [_pattern(p) for p in hit.rule.patterns]
        if any(regex.match(notes, denied.end(), hit.end) for regex in told) and not any(
            regex.search(notes, hit.start, denied.start()) for regex in told
        ):
            return True  # "Secrets are mounted at runtime; no ENV PASSWORD in the Dockerfile"
    for start, end in spans:  # most hits: none, found without searching
        if _NOT_KNOWN.match(notes, end):
            continue  # "Promise.all on 5000 inserts - did not see pool exhaustion": not spotted, not refused
        if _LEFT_UNDONE.match(notes, end):
            continue  # "catches Exception, does not rethrow, logs at debug": what the practice leaves out
        if _NEGATED_VERB.fullmatch(notes, start, end) and _told_before_its_purpose(notes, hit, start):
            continue  # "a random sleep at startup so they wouldnt overlap": what the practice was for, not a refusal
        if _ASIDE_OPENS.search(notes, end, hit.end) and any(
            _pattern(p).search(notes, end, hit.end) for p in hit.rule.patterns
        ):
            continue  # "SETNX lock - good that he knew SETNX (no TTL on it": the cue's reach ends at the aside
        blanked = notes[hit.start : start] + "x" * (end - start) + notes[end : hit.end]
        if any(_pattern(p).search(blanked) for p in hit.rule.patterns):
            return True
    return False


def _told_before_its_purpose(notes: str, hit: _Hit, cue: int) -> bool:
    """Whether a negated verb inside a practice ends a purpose clause ("so they wouldnt overlap")
    and the practice is told before it: then the clause is what the practice was for, not a
    refusal of it. When the practice's words lie inside the purpose clause ("Stores the event id
    in a processed-events table, so a redelivered message doesn't charge again"), the clause
    denies the harm: a rejection, read as before."""
    purpose = _A_PURPOSE_BEFORE.search(notes, max(hit.start, cue - 40), cue)
    return purpose is not None and _PRACTICE_BEFORE_A_PURPOSE.search(notes, hit.start, purpose.start()) is not None


_PRACTICE_BEFORE_A_PURPOSE = gated(
    r"\b(sleeps?|delays?|waits?|pauses?|settimeout|thread\.sleep|time\.sleep)\b",
    _FLAGS,
)
"""A wait told before a purpose clause: the timing the candidate chose to hide a race. (Only a
wait: "a row lock so two requests don't double-book" is the purpose a sound mechanism serves.)"""
_NEGATED_VERB = gated(r"(wo|would|should|must|will|do|does|did|is)(n[’']?t|\s{1,3}not)", _FLAGS)
"""A rejection cue that is a negated verb ("wouldnt", "don't"), the one a purpose clause ends in."""
_A_PURPOSE_BEFORE = gated(r"\bso (that )?(\w{1,15}\s{1,2}){1,3}$", _FLAGS)
"""Before a negated verb inside a practice: a purpose clause ("He added a random sleep at startup
so they wouldnt overlap"; round 161): what the practice was meant to prevent, not a refusal of it."""
_ANOTHER_ITEM = gated(r"[,;]|\b(no|not|never|without)\b", _FLAGS)
"""After a denial: a list's next item, or a negation that spells the practice itself."""
_DENIED_AFTER_A_PAUSE = gated(r"[,;:]\s{1,2}(and\s{1,2}|but\s{1,2})?(no|never|nothing like)\s{1,2}", _FLAGS)
"""A pause and a denial that the whole practice follows ("Secrets are mounted at runtime; no
ENV PASSWORD in the Dockerfile"): the pair's match reaches across the pause into what is
denied. Not when the words before the pause tell the practice themselves ("creds in the repo;
no password in the Dockerfile though")."""
_ASIDE_OPENS = gated(r"[(\[]|\s[-–—]{1,2}\s")
"""An aside opening: a rejection cue before it does not reach the practice told inside it."""
_PATTERNS: dict[str, re.Pattern[str]] = {}


def _pattern(pattern: str) -> re.Pattern[str]:
    """A signal pattern compiled as the lexicon compiles it, kept for the next note."""
    compiled = _PATTERNS.get(pattern)
    if compiled is None:
        compiled = _PATTERNS[pattern] = gated(_from_word_start(pattern), _FLAGS)
    return compiled


_WORD_SNAP = 24
"""How far a long quote's cut moves to fall between words."""


def _quote(notes: str, clause: Clause, hit: _Hit) -> str:
    """The clause around the match, trimmed to a readable length around the matched words. A
    match that runs on past its clause's end (over a code parenthesis: "catch (Exception e)
    log 'error' and next file") is quoted to its end: the clause alone would quote "catch"."""
    start, end = clause.start, clause.end
    while start > 0 and clause.start - start < 3 and notes[start - 1].isalnum() and notes[start : start + 1].isalnum():
        start -= 1  # a word read padded in front ("nae" as " no", "ohne" as "  no"): quoted whole
    if hit.end > end and "~~" not in notes[end : hit.end]:
        end = hit.end  # not over text struck through, which no rule read
    if end - start > QUOTE_MAX_CHARS:
        middle = (hit.start + hit.end) // 2
        first, last = start, end
        start = max(start, middle - QUOTE_MAX_CHARS // 2)
        end = min(end, start + QUOTE_MAX_CHARS)
        # Whole words only: a reader checks the quote against the notes ("because", not "s, because").
        if start > first and not notes[start - 1].isspace():
            space = notes.find(" ", start, min(end, start + _WORD_SNAP))
            start = space + 1 if space >= 0 else start
        if end < last and not notes[end].isspace():
            space = notes.rfind(" ", max(start, end - _WORD_SNAP), end)
            end = space if space > start else end
    quote = " ".join(notes[start:end].split()).strip(" .;,-–—()")
    return quote[:QUOTE_MAX_CHARS]


# --- triggers: a cheap necessary condition before running a pattern ------------------------
#
# Python's regex engine tries every alternative at every position. But nearly every
# pattern contains literal words that any match must contain ("index", "explain").
# `_required(pattern)` finds, from the parsed pattern, a set of literals of which every
# match contains at least one; an Aho-Corasick pass over the case-folded notes finds the
# clauses worth running the pattern on. It only ever skips clauses where a match is
# impossible; when the pattern is too complex to tell, it runs on every clause.


def _required(pattern: str) -> frozenset[str] | None:
    try:
        parsed = sre_parse.parse(pattern, re.IGNORECASE)
    except re.error:
        return None
    return _required_in(list(parsed))


def _required_in(sequence: list) -> frozenset[str] | None:  # type: ignore[type-arg]
    """Best (longest shortest-member) set among the sequence's required parts."""
    options = _required_parts(sequence)
    if not options:
        return None
    return max(options, key=lambda o: min(len(x) for x in o))


def _requirements(pattern: str) -> tuple[frozenset[str], ...]:
    """Every set of literals of which a match must contain one member: a clause lacking
    any set cannot match, whatever its trigger said."""
    try:
        return tuple(_required_parts(list(sre_parse.parse(pattern, re.IGNORECASE))))
    except re.error:
        return ()


def _required_parts(sequence: list) -> list[frozenset[str]]:  # type: ignore[type-arg]
    options: list[frozenset[str]] = []
    run = ""
    for op, av in sequence:
        if op is sre_constants.LITERAL:
            run += chr(av)
            continue
        if run:
            options.append(frozenset({run.lower()}))
            run = ""
        if op is sre_constants.SUBPATTERN:
            inner = _required_in(list(av[-1]))
            if inner is not None:
                options.append(inner)
        elif op is sre_constants.BRANCH:
            branches = [_required_in(list(b)) for b in av[1]]
            if all(b is not None for b in branches):
                options.append(frozenset().union(*branches))  # type: ignore[arg-type]
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and av[0] >= 1:
            inner = _required_in(list(av[2]))
            if inner is not None:
                options.append(inner)
    if run:
        options.append(frozenset({run.lower()}))
    return [o for o in options if o and min(len(x) for x in o) >= 2 and all(x.isascii() for x in o)]


__all__ = ["QUOTE_MAX_CHARS", "Evidence", "Lexicon", "assess", "compile_lexicon", "find_signals", "max_match_length"]
