//! The scoring core's per-character loops, compiled: clause boundaries
//! (`services/scoring/clauses.py: split_clauses`), the notes model's features
//! (`services/scoring/notes_model.py: read`), and the sorting of a note's scan matches into
//! clauses (`services/scoring/evidence.py: _scanned`).
//!
//! Each function gives exactly what its Python original gives, which stays the reference
//! (and serves when this module is not installed): `tests/unit/test_native.py` holds the
//! two to the same results on the labelled corpus, recombined and hostile notes and random
//! mixes of separators. Both take text of one byte per character: `split_clauses` only ASCII
//! notes (the caller keeps the Python path for the rest, where `re`'s Unicode rules apply);
//! `NotesFeatures` the notes with every non-ASCII character replaced by one that is no word
//! character, as the model reads them.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PySet, PyTuple};
use std::collections::{HashMap, HashSet};

// --- clause boundaries ----------------------------------------------------------------------

/// `\s` of Python's `re` (and `str.isspace`) on ASCII: \t \n \v \f \r, \x1c-\x1f and space.
fn is_space(b: u8) -> bool {
    matches!(b, 9..=13 | 28..=32)
}

/// `\w` of Python's `re` on ASCII.
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The byte standing for "–" or "—" in `split_clause_bytes`' text.
const DASH: u8 = 0x80;

/// The words of `_BOUNDARY`'s "contrast" group, in its order.
const CONTRAST: [&[u8]; 9] = [
    b"but",
    b"however",
    b"although",
    b"though",
    b"whereas",
    b"yet",
    b"except that",
    b"other than that",
    b"apart from that",
];

/// `_BOUNDARY.match(notes, p)` on ASCII text: the end of the boundary starting at `p`, and
/// whether it is a contrast word; the branches tried in the regex's order (those of "–" and
/// "—" never match ASCII).
fn boundary_at(t: &[u8], p: usize) -> Option<(usize, bool)> {
    let n = t.len();
    let c = t[p];
    let space_at = |i: usize| i < n && is_space(t[i]);
    // A closing quote may follow the mark ("'so nothing is missed.' How many..."): ['"]?
    let quoted = |q: usize| {
        if q < n && (t[q] == b'\'' || t[q] == b'"') {
            q + 1
        } else {
            q
        }
    };
    // [!?]+['"]?(?=\s|$): a shorter run ends before another "!" or "?", never before a space.
    if c == b'!' || c == b'?' {
        // (?<!=)(?<!= ): a SQL placeholder ("user_id=? AND"), not a question
        if (p >= 1 && t[p - 1] == b'=') || (p >= 2 && t[p - 1] == b' ' && t[p - 2] == b'=') {
            return None;
        }
        let mut q = p;
        while q < n && (t[q] == b'!' || t[q] == b'?') {
            q += 1;
        }
        let after = quoted(q);
        if after == n || is_space(t[after]) {
            return Some((after, false));
        }
        return if q == n || is_space(t[q]) {
            Some((q, false))
        } else {
            None
        };
    }
    // (?<!\.)\.['"]?(?=\s|$)
    if c == b'.' {
        let alone = !(p > 0 && t[p - 1] == b'.');
        let after = quoted(p + 1);
        if alone && (after == n || is_space(t[after])) {
            return Some((after, false));
        }
        return None;
    }
    // \n\s*
    if c == b'\n' {
        let mut q = p + 1;
        while space_at(q) {
            q += 1;
        }
        return Some((q, false));
    }
    // ;
    if c == b';' {
        return Some((p + 1, false));
    }
    if is_space(c) {
        // \s\|\s
        if p + 1 < n && t[p + 1] == b'|' && space_at(p + 2) {
            return Some((p + 3, false));
        }
        let dash_at = |i: usize| i < n && (t[i] == b'-' || t[i] == DASH);
        if dash_at(p + 1) {
            // \s[-–—]{1,2}\s: two dashes then a space, else one dash then a space
            if dash_at(p + 2) && space_at(p + 3) {
                return Some((p + 4, false));
            }
            if space_at(p + 2) {
                return Some((p + 3, false));
            }
            // \s-{2}
            if t[p + 1] == b'-' && p + 2 < n && t[p + 2] == b'-' {
                return Some((p + 3, false));
            }
        }
        return None;
    }
    // [–—]
    if c == DASH {
        return Some((p + 1, false));
    }
    // (?<=\s)[(\[]
    if c == b'(' || c == b'[' {
        return if p > 0 && is_space(t[p - 1]) {
            Some((p + 1, false))
        } else {
            None
        };
    }
    // (?<!\()[)\]](?!\w)
    if c == b')' || c == b']' {
        let opened = p > 0 && t[p - 1] == b'(';
        let word_after = p + 1 < n && is_word(t[p + 1]);
        return if !opened && !word_after {
            Some((p + 1, false))
        } else {
            None
        };
    }
    // \b(?:but|however|...)\b, case-insensitive: only at a word's first letter, one that starts a contrast word
    let first = c.to_ascii_lowercase();
    if matches!(first, b'a' | b'b' | b'e' | b'h' | b'o' | b't' | b'w' | b'y')
        && !(p > 0 && is_word(t[p - 1]))
    {
        for word in CONTRAST {
            let end = p + word.len();
            if end <= n && t[p..end].eq_ignore_ascii_case(word) && !(end < n && is_word(t[end])) {
                if word == b"yet" && yet_continues(t, p) {
                    continue;
                }
                return Some((end, true));
            }
        }
    }
    None
}

/// `(?<!not )(?<!there )(?<!ready )(?<!just )(?<!n't )(?<!n’t )` before "yet" at `p`,
/// case-insensitive: "not yet", "hasn't yet", "there yet", "ready yet" and "just yet" are no
/// contrast.
fn yet_continues(t: &[u8], p: usize) -> bool {
    [
        &b"not "[..],
        &b"there "[..],
        &b"ready "[..],
        &b"just "[..],
        &b"n't "[..],
        &b"n\xfft "[..], // "n’t ": `split_clause_bytes` reads "’" as its stand-in byte
    ]
    .iter()
    .any(|w| p >= w.len() && t[p - w.len()..p].eq_ignore_ascii_case(w))
        || (preposition_after(t, p + 3) && KNOWN_YET.iter().any(|w| followed_by_yet(t, p, w)))
}

/// `_KNOWN_YET` in clauses.py: "a view yet on versioning", "no sense yet of locks" hold an
/// adverb, no contrast.
const KNOWN_YET: [&[u8]; 21] = [
    b"view",
    b"views",
    b"opinion",
    b"idea",
    b"sense",
    b"feel",
    b"grasp",
    b"handle",
    b"plan",
    b"answer",
    b"understanding",
    b"experience",
    b"exposure",
    b"background",
    b"depth",
    b"clarity",
    b"intuition",
    b"position",
    b"familiarity",
    b"thoughts",
    b"story",
];

/// `(?<=word )yet` at `p`, case-insensitive (a look-behind: no word boundary before `word`).
fn followed_by_yet(t: &[u8], p: usize, word: &[u8]) -> bool {
    p >= word.len() + 1
        && t[p - 1] == b' '
        && t[p - 1 - word.len()..p - 1].eq_ignore_ascii_case(word)
}

/// `(?=\s(?:on|in|for|of|about|with|at|around)\b)` at `end`, the position after "yet".
fn preposition_after(t: &[u8], end: usize) -> bool {
    if end >= t.len() || !is_space(t[end]) {
        return false;
    }
    let start = end + 1;
    [
        &b"on"[..],
        b"in",
        b"for",
        b"of",
        b"about",
        b"with",
        b"at",
        b"around",
    ]
    .iter()
    .any(|w| {
        let stop = start + w.len();
        stop <= t.len()
            && t[start..stop].eq_ignore_ascii_case(w)
            && !(stop < t.len() && is_word(t[stop]))
    })
}

/// The abbreviations after which a full stop ends no sentence (`_ABBREVIATION`).
const ABBREVIATIONS: [&[u8]; 7] = [b"e.g", b"i.e", b"vs", b"etc", b"approx", b"incl", b"cf"];

/// `_ABBREVIATION.search(notes, max(0, end - 8), end)`: an abbreviation starting at a word
/// boundary and ending at `end`, or just before a newline that ends the searched text (`$`).
fn abbreviation_before(t: &[u8], end: usize) -> bool {
    let low = end.saturating_sub(8);
    let mut ends = vec![end];
    if end > 0 && t[end - 1] == b'\n' {
        ends.push(end - 1);
    }
    ends.iter().any(|&e| {
        ABBREVIATIONS.iter().any(|word| {
            e >= low + word.len() && {
                let m = e - word.len();
                t[m..e].eq_ignore_ascii_case(word) && !(m > 0 && is_word(t[m - 1]))
            }
        })
    })
}

/// `_BULLET.match(notes, start, end)`: `\s*(?:[-*•·>]+|\d{1,2}[.)])\s+`, the match's end.
fn bullet_end(t: &[u8], start: usize, end: usize) -> Option<usize> {
    let mut i = start;
    while i < end && is_space(t[i]) {
        i += 1;
    }
    let marker = |b: u8| b == b'-' || b == b'*' || b == b'>';
    let mut j;
    if i < end && marker(t[i]) {
        j = i;
        while j < end && marker(t[j]) {
            j += 1;
        }
    } else if i < end && t[i].is_ascii_digit() {
        j = i + 1;
        if j < end && t[j].is_ascii_digit() {
            j += 1;
        }
        if !(j < end && (t[j] == b'.' || t[j] == b')')) {
            return None;
        }
        j += 1;
    } else {
        return None;
    }
    let after = j;
    while j < end && is_space(t[j]) {
        j += 1;
    }
    if j == after {
        None
    } else {
        Some(j)
    }
}

type Span = (usize, usize, bool, usize);

/// `_add`: the stretch without its bullet and surrounding space, if it holds a letter or digit.
fn add(t: &[u8], spans: &mut Vec<Span>, start: usize, end: usize, contrast: bool, sentence: usize) {
    let mut a = bullet_end(t, start, end).unwrap_or(start);
    let mut z = end;
    while a < z && is_space(t[a]) {
        a += 1;
    }
    while z > a && is_space(t[z - 1]) {
        z -= 1;
    }
    if t[a..z].iter().any(|b| b.is_ascii_alphanumeric()) {
        spans.push((a, z, contrast, sentence));
    }
}

/// `split_clauses(notes)` for ASCII notes: (start, end, contrast, sentence, question) of each clause.
#[pyfunction]
fn split_clauses(notes: &str) -> PyResult<Vec<(usize, usize, bool, usize, bool)>> {
    let t = notes.as_bytes();
    if !t.is_ascii() {
        return Err(PyValueError::new_err(
            "split_clauses takes ASCII notes only",
        ));
    }
    Ok(split(t))
}

/// `split_clauses(notes)` of notes given one byte per character: ASCII as itself, "–" and "—"
/// as 0x80, and as 0xFF any other character that is no letter, digit or space for `re` and
/// `str` and is no bullet ("•", "·"): what the split makes of the character alone (it is
/// never a boundary, a word character or a space), so the clauses are those of the notes.
#[pyfunction]
fn split_clause_bytes(text: &[u8]) -> PyResult<Vec<(usize, usize, bool, usize, bool)>> {
    if text.iter().any(|&b| b > 127 && b != DASH && b != 0xFF) {
        return Err(PyValueError::new_err(
            "split_clause_bytes takes ASCII, 0x80 and 0xFF only",
        ));
    }
    Ok(split(text))
}

fn split(t: &[u8]) -> Vec<(usize, usize, bool, usize, bool)> {
    let n = t.len();
    let mut spans: Vec<Span> = Vec::new();
    let mut questions: HashSet<usize> = HashSet::new();
    let (mut start, mut contrast, mut sentence) = (0usize, false, 0usize);
    // `opened` in clauses.py: a parenthesis that opens a sentence closes it ("what do you do?
    // (turn fsync off) what else?": the answer is a sentence of its own, not part of a question)
    let mut opened = false;
    let mut p = 0;
    while p < n {
        let (end, is_contrast) = match boundary_at(t, p) {
            Some(found) => found,
            None => {
                p += 1;
                continue;
            }
        };
        if is_contrast {
            add(t, &mut spans, start, p, contrast, sentence);
            start = p;
            contrast = true;
        } else if !(end == p + 1 && t[p] == b'.' && abbreviation_before(t, p)) {
            add(t, &mut spans, start, p, contrast, sentence);
            start = end;
            contrast = false;
            if matches!(t[p], b'.' | b'!' | b'?' | b'\n') {
                // `_asks` in clauses.py: "??", "?!" and "!?" set apart are disbelief, not a question
                let marks = &t[p..end];
                let set_apart =
                    p >= 1 && (is_space(t[p - 1]) || t[p - 1] == b'\'' || t[p - 1] == b'"');
                let disbelief =
                    marks.iter().filter(|&&b| b == b'?').count() > 1 || marks.contains(&b'!');
                let asks = marks.contains(&b'?') && !(disbelief && set_apart);
                if asks {
                    questions.insert(sentence);
                }
                sentence += 1;
                opened = false;
            } else if t[p] == b'(' || t[p] == b'[' {
                opened = spans.last().map_or(true, |s| s.3 != sentence);
            } else if (t[p] == b')' || t[p] == b']') && opened {
                sentence += 1;
                opened = false;
            }
        }
        p = end;
    }
    add(t, &mut spans, start, n, contrast, sentence);
    if spans.is_empty() {
        return vec![(0, n, false, 0, false)];
    }
    spans
        .into_iter()
        .map(|(s, e, c, k)| (s, e, c, k, questions.contains(&k)))
        .collect()
}

// --- the notes model's features -------------------------------------------------------------

/// `notes_model._fold` of ASCII text: lower case, each word's inner apostrophes moved to its
/// end ("didn't" -> "didnt'"), so "didn't" and "didnt" are one word and offsets stay put.
fn folded(text: &str) -> Vec<u8> {
    let mut lower = text.as_bytes().to_ascii_lowercase();
    if lower.contains(&b'\'') {
        apostrophes_last(&mut lower);
    }
    lower
}

/// `_INNER_APOSTROPHES.sub(_apostrophes_last, ...)`: each match of
/// `[a-z0-9]+(?:'[a-z0-9]+)+` rewritten as its letters and digits, then its apostrophes.
fn apostrophes_last(l: &mut [u8]) {
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let run_end = |l: &[u8], mut p: usize| {
        while p < l.len() && alnum(l[p]) {
            p += 1;
        }
        p
    };
    let mut p = 0;
    while p < l.len() {
        if !alnum(l[p]) {
            p += 1;
            continue;
        }
        let start = p;
        let mut end = run_end(l, p);
        let mut apostrophes = 0;
        while end + 1 < l.len() && l[end] == b'\'' && alnum(l[end + 1]) {
            end = run_end(l, end + 1);
            apostrophes += 1;
        }
        if apostrophes > 0 {
            let kept: Vec<u8> = l[start..end]
                .iter()
                .copied()
                .filter(|&b| b != b'\'')
                .collect();
            l[start..start + kept.len()].copy_from_slice(&kept);
            l[start + kept.len()..end].fill(b'\'');
        }
        p = end;
    }
}

/// `[a-z0-9+#'./-]`: the characters a word goes on with.
fn in_word(b: u8) -> bool {
    b.is_ascii_lowercase()
        || b.is_ascii_digit()
        || matches!(b, b'+' | b'#' | b'\'' | b'.' | b'/' | b'-')
}

/// `notes_model._PERSON`: the words that tell a person's gender (or number) as one word.
fn person(word: &[u8]) -> &[u8] {
    match word {
        b"he" | b"she" | b"him" | b"her" | b"his" | b"hers" | b"himself" | b"herself" | b"they"
        | b"them" | b"their" | b"theirs" | b"themselves" | b"themself" => b"they",
        b"hes" | b"shes" | b"theyre" => b"theyre",
        b"hed" | b"shed" | b"theyd" => b"theyd",
        b"guy" | b"girl" | b"lady" | b"gal" | b"dude" | b"bloke" | b"chap" | b"man" | b"woman"
        | b"gentleman" | b"boy" | b"lad" | b"lass" | b"kid" => b"person",
        _ => word,
    }
}

/// `notes_model._LIFTED_BY`: after a negation, these words lift it ("didn't just retry").
fn lifted(word: &[u8]) -> bool {
    matches!(
        word,
        b"just"
            | b"only"
            | b"simply"
            | b"merely"
            | b"doubt"
            | b"question"
            | b"hesitation"
            | b"wonder"
    )
}

/// `[a-z0-9+#]`: the characters a word may end with.
fn ends_word(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'+' || b == b'#'
}

/// `_STRIPPED_WORD.findall(folded, start, end)` on lower-case text, into `found`:
/// `[a-z](?:[a-z0-9+#'./-]{0,29}[a-z0-9+#])?`, each match the longest one, the next searched after it.
fn words<'a>(l: &'a [u8], start: usize, end: usize, found: &mut Vec<&'a [u8]>) {
    found.clear();
    let mut p = start;
    while p < end {
        if !l[p].is_ascii_lowercase() {
            p += 1;
            continue;
        }
        let limit = (p + 31).min(end);
        let (mut q, mut last) = (p + 1, p);
        while q < limit && in_word(l[q]) {
            if ends_word(l[q]) {
                last = q;
            }
            q += 1;
        }
        found.push(person(&l[p..=last]));
        p = last + 1;
    }
}

/// The notes model's weights, keyed by feature as the artifact names them (a word, `NOT_word`,
/// or two words and a space between), its bias, and how the running Python adds floats.
#[pyclass(frozen)]
struct NotesFeatures {
    weights: Hashed,
    /// Two bits per weighted feature in 2^16 (8 KB, which stays in cache): most of a note's
    /// features have no weight, and most of those find a bit unset here, without a lookup.
    bloom: Vec<u64>,
    negations: Hashed,
    bias: f64,
    compensated: bool,
}

/// Byte strings and their values, found by their FNV-1a hash (which the caller has at hand):
/// open addressing, at most half full, each hit confirmed on the bytes. A slot holds the
/// hash, the value and where its key sits in one arena of all the keys: a lookup reads the
/// slot and the key's bytes, two cache lines, where the notes are read beside the scans.
struct Hashed {
    slots: Vec<Slot>,
    arena: Vec<u8>,
}

/// A key's hash and value, and its bytes as `arena[start..start + len - 1]`; `len` 0: empty.
#[derive(Clone, Copy, Default)]
struct Slot {
    hash: u64,
    value: f64,
    start: u32,
    len: u32,
}

impl Hashed {
    fn new(entries: Vec<(Vec<u8>, f64)>) -> Self {
        let size = (2 * entries.len() + 2).next_power_of_two();
        let mut slots = vec![Slot::default(); size];
        let mut arena = Vec::with_capacity(entries.iter().map(|(key, _)| key.len()).sum());
        for (key, value) in entries {
            let hash = fnv(FNV_START, &key);
            let mut at = hash as usize & (size - 1);
            while slots[at].len != 0 {
                at = (at + 1) & (size - 1);
            }
            slots[at] = Slot {
                hash,
                value,
                start: arena.len() as u32,
                len: key.len() as u32 + 1,
            };
            arena.extend_from_slice(&key);
        }
        Hashed { slots, arena }
    }

    /// The value of `key`, whose FNV-1a hash is `hash`.
    fn get(&self, hash: u64, key: impl Fn(&[u8]) -> bool) -> Option<f64> {
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            let slot = self.slots[at];
            if slot.len == 0 {
                return None;
            }
            if slot.hash == hash {
                let start = slot.start as usize;
                if key(&self.arena[start..start + slot.len as usize - 1]) {
                    return Some(slot.value);
                }
            }
            at = (at + 1) & mask;
        }
    }
}

/// FNV-1a over bytes, fed a piece at a time: a word's hash goes on into its pair's.
const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The two bits of a feature (by the FNV-1a hash of its spelling) in `NotesFeatures::bloom`.
fn bloom_bits(hash: u64) -> (usize, usize) {
    (
        (hash >> 32) as usize & 0xffff,
        (hash >> 48) as usize & 0xffff,
    )
}

#[pymethods]
impl NotesFeatures {
    /// `compensated`: whether the running Python's `sum()` of floats is compensated
    /// (Neumaier, CPython 3.12 on) rather than plain left-to-right addition.
    #[new]
    fn new(
        weights: HashMap<String, f64>,
        negations: Vec<String>,
        bias: f64,
        compensated: bool,
    ) -> Self {
        let mut bloom = vec![0u64; 1 << 10];
        for key in weights.keys() {
            let (a, b) = bloom_bits(fnv(FNV_START, key.as_bytes()));
            bloom[a >> 6] |= 1 << (a & 63);
            bloom[b >> 6] |= 1 << (b & 63);
        }
        NotesFeatures {
            weights: Hashed::new(
                weights
                    .into_iter()
                    .map(|(k, v)| (k.into_bytes(), v))
                    .collect(),
            ),
            bloom,
            negations: Hashed::new(
                negations
                    .into_iter()
                    .map(|k| (k.into_bytes(), 0.0))
                    .collect(),
            ),
            bias,
            compensated,
        }
    }

    /// `notes_model.read`: the logit and the index of the clause to quote (-1: none), each
    /// clause a tuple starting with its start and end offsets. `text`: ASCII, one byte per
    /// character (the caller replaces the others).
    #[pyo3(signature = (text, clauses, scope=0))]
    fn read(
        &self,
        text: &str,
        clauses: Vec<Bound<'_, PyTuple>>,
        scope: usize,
    ) -> PyResult<(f64, isize)> {
        let spans = self.spans(text, &clauses)?;
        let (sums, squares) = self.sums(&folded(text), &spans, scope);
        let scale = if squares == 0 {
            1.0
        } else {
            (squares as f64).sqrt()
        };
        let pushes: Vec<f64> = sums.iter().map(|s| s / scale).collect();
        let logit = self.bias + self.sum(pushes.iter().copied());
        let mut best: isize = -1;
        if let Some(first) = pushes.first() {
            let (mut at, mut most) = (0, *first);
            for (i, &push) in pushes.iter().enumerate().skip(1) {
                if (logit >= 0.0 && push > most) || (logit < 0.0 && push < most) {
                    at = i;
                    most = push;
                }
            }
            if (logit >= 0.0 && most > 0.0) || (logit < 0.0 && most < 0.0) {
                best = at as isize;
            }
        }
        Ok((logit, best))
    }

    /// Each clause's weighted sum (weight * count of its features, in the trainer's order:
    /// distinct features in order of first occurrence, words then pairs) and the sum of the
    /// squared counts of the note's distinct features: what `read` computes from, for tests.
    #[pyo3(signature = (text, clauses, scope=0))]
    fn clause_sums(
        &self,
        text: &str,
        clauses: Vec<Bound<'_, PyTuple>>,
        scope: usize,
    ) -> PyResult<(Vec<f64>, u64)> {
        let spans = self.spans(text, &clauses)?;
        Ok(self.sums(&folded(text), &spans, scope))
    }
}

/// A feature of a note: a word (negated or not), or a pair of words by their numbers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Feature<'a> {
    Word(bool, &'a [u8]),
    Pair(usize, usize),
}

impl NotesFeatures {
    fn spans(&self, text: &str, clauses: &[Bound<'_, PyTuple>]) -> PyResult<Vec<(usize, usize)>> {
        if !text.is_ascii() {
            return Err(PyValueError::new_err(
                "the notes model reads ASCII text: one byte per character",
            ));
        }
        let mut spans = Vec::with_capacity(clauses.len());
        for clause in clauses {
            let end: usize = clause.get_item(1)?.extract()?;
            let end = end.min(text.len());
            let start: usize = clause.get_item(0)?.extract()?;
            spans.push((start.min(end), end));
        }
        Ok(spans)
    }

    /// `sum(values)` as the running Python computes it: from the int 0 (the first value is
    /// added to 0 exactly), then plain addition, or Neumaier's compensated addition.
    fn sum(&self, values: impl Iterator<Item = f64>) -> f64 {
        let mut values = values;
        let mut total = match values.next() {
            Some(first) => 0.0 + first,
            None => return 0.0,
        };
        if !self.compensated {
            return values.fold(total, |sum, x| sum + x);
        }
        let mut compensation = 0.0;
        for x in values {
            let t = total + x;
            if total.abs() >= x.abs() {
                compensation += (total - t) + x;
            } else {
                compensation += (x - t) + total;
            }
            total = t;
        }
        if compensation != 0.0 && compensation.is_finite() {
            total += compensation;
        }
        total
    }

    /// Whether a feature (by the hash of its spelling) may have a weight.
    fn may_weigh(&self, hash: u64) -> bool {
        let (a, b) = bloom_bits(hash);
        self.bloom[a >> 6] & (1 << (a & 63)) != 0 && self.bloom[b >> 6] & (1 << (b & 63)) != 0
    }

    /// `scope`: how many words after a negation it marks (`notes_model.negation_scope`); 0: all.
    fn sums(&self, lower: &[u8], spans: &[(usize, usize)], scope: usize) -> (Vec<f64>, u64) {
        // The note's distinct features, numbered as they first occur: a word (negated or
        // not) or a pair of word numbers, the hash of its spelling, its weight and its count.
        // Found by hash in an open-addressing table that never fills past half: a note of n
        // characters has at most n + 1 words and pairs.
        // At most one word per two characters, and one pair per word: room for them all at
        // once, not grown a step at a time (the allocations were a fifth of a read).
        let room = lower.len() + 2;
        let mut features: Vec<(Feature<'_>, u64)> = Vec::with_capacity(room);
        let mut weights: Vec<Option<f64>> = Vec::with_capacity(room);
        let mut counts: Vec<u64> = Vec::with_capacity(room);
        let size = (2 * (lower.len() + 2)).next_power_of_two();
        let mut table: Vec<u32> = vec![0; size];
        let mask = size - 1;
        let mut key: Vec<u8> = Vec::with_capacity(80);
        let spell = |key: &mut Vec<u8>, feature: Feature<'_>| {
            if let Feature::Word(negated, word) = feature {
                if negated {
                    key.extend_from_slice(b"NOT_");
                }
                key.extend_from_slice(word);
            }
        };
        // Per clause: its words, its features' numbers (words, then pairs), its distinct
        // features in order with their counts, and where each number sits among them.
        let (mut found, mut ids): (Vec<&[u8]>, Vec<usize>) =
            (Vec::with_capacity(room), Vec::with_capacity(room));
        let mut plain: Vec<u64> = Vec::with_capacity(room); // each word's hash, not negated
        let mut negated: Vec<bool> = Vec::with_capacity(room); // whether each word is marked NOT_
        let not_start = fnv(FNV_START, b"NOT_");
        let mut mine: Vec<(usize, u64)> = Vec::with_capacity(room);
        let (mut slot, mut stamp): (Vec<usize>, Vec<usize>) =
            (Vec::with_capacity(room), Vec::with_capacity(room));
        let mut sums = Vec::with_capacity(spans.len());
        for (clause, &(start, end)) in spans.iter().enumerate() {
            words(lower, start, end, &mut found);
            plain.clear();
            plain.extend(found.iter().map(|w| fnv(FNV_START, w)));
            let negation = |i: usize| {
                self.negations
                    .get(plain[i], |key| key == found[i])
                    .is_some()
            };
            negated.clear();
            let mut last: Option<usize> = None;
            for i in 0..found.len() {
                if negation(i) {
                    if !(i + 1 < found.len() && lifted(found[i + 1])) {
                        last = Some(i);
                    }
                    negated.push(false);
                } else {
                    negated.push(matches!(last, Some(l) if scope == 0 || i - l <= scope));
                }
            }
            ids.clear();
            for i in 0..found.len() + found.len().saturating_sub(1) {
                let (feature, hash) = if i < found.len() {
                    let word = found[i];
                    if negated[i] {
                        (Feature::Word(true, word), fnv(not_start, word))
                    } else {
                        (Feature::Word(false, word), plain[i])
                    }
                } else {
                    let (a, b) = (ids[i - found.len()], ids[i - found.len() + 1]);
                    let mut hash = fnv(features[a].1, b" ");
                    if let Feature::Word(negated, word) = features[b].0 {
                        hash = fnv(if negated { fnv(hash, b"NOT_") } else { hash }, word);
                    }
                    (Feature::Pair(a, b), hash)
                };
                let mut at = hash as usize & mask;
                let number = loop {
                    let held = table[at] as usize;
                    if held == 0 {
                        let number = features.len();
                        let weight = if self.may_weigh(hash) {
                            key.clear();
                            match feature {
                                Feature::Word(..) => spell(&mut key, feature),
                                Feature::Pair(a, b) => {
                                    spell(&mut key, features[a].0);
                                    key.push(b' ');
                                    spell(&mut key, features[b].0);
                                }
                            }
                            self.weights.get(hash, |held| held == key.as_slice())
                        } else {
                            None
                        };
                        features.push((feature, hash));
                        weights.push(weight);
                        counts.push(0);
                        table[at] = (number + 1) as u32;
                        break number;
                    }
                    if features[held - 1].1 == hash && features[held - 1].0 == feature {
                        break held - 1;
                    }
                    at = (at + 1) & mask;
                };
                ids.push(number);
            }
            mine.clear();
            slot.resize(counts.len(), 0);
            stamp.resize(counts.len(), usize::MAX);
            for &id in &ids {
                counts[id] += 1;
                if stamp[id] == clause {
                    mine[slot[id]].1 += 1;
                } else {
                    stamp[id] = clause;
                    slot[id] = mine.len();
                    mine.push((id, 1));
                }
            }
            sums.push(
                self.sum(
                    mine.iter()
                        .filter_map(|&(id, count)| weights[id].map(|w| w * count as f64)),
                ),
            );
        }
        (sums, counts.iter().map(|c| c * c).sum())
    }
}

// --- a note's scan matches, by clause ------------------------------------------------------

/// A Hyperscan match handler (`Database.scan(..., match_event_handler=Ends())`): keeps the
/// pattern id and end offset of every match, in the order reported, without a Python call
/// per match.
#[pyclass]
#[derive(Default)]
struct Ends {
    found: Vec<(u32, usize)>,
}

#[pymethods]
impl Ends {
    #[new]
    fn new() -> Self {
        Ends::default()
    }

    /// Hyperscan's handler arguments: id, start, end, flags, context. None: scan on.
    #[pyo3(signature = (index, start, end, flags, context=None))]
    #[allow(unused_variables)]
    fn __call__(
        &mut self,
        index: u32,
        start: u64,
        end: usize,
        flags: u32,
        context: Option<&Bound<'_, PyAny>>,
    ) {
        self.found.push((index, end));
    }

    fn __len__(&self) -> usize {
        self.found.len()
    }

    /// The (pattern id, end) pairs, in the order reported.
    fn pairs(&self) -> Vec<(u32, usize)> {
        self.found.clone()
    }
}

/// One competency's numbering of the scan matches (`evidence._Scans`): its own patterns by
/// their index, the shared scan's through `numbers`, then the judgement words', then the
/// context regexes'; and which own and judgement patterns must match a whole clause.
#[pyclass(frozen)]
struct Located {
    numbers: Vec<usize>,
    own: usize,
    judged: usize,
    contexts: usize,
    whole_own: Vec<bool>,
    whole_judged: Vec<bool>,
}

#[pymethods]
impl Located {
    #[new]
    fn new(
        numbers: Vec<usize>,
        own: usize,
        judged: usize,
        contexts: usize,
        whole_own: Vec<usize>,
        whole_judged: Vec<usize>,
    ) -> Self {
        let mut own_flags = vec![false; own];
        for i in whole_own {
            if i < own {
                own_flags[i] = true;
            }
        }
        let mut judged_flags = vec![false; judged];
        for i in whole_judged {
            if i < judged {
                judged_flags[i] = true;
            }
        }
        Located {
            numbers,
            own,
            judged,
            contexts,
            whole_own: own_flags,
            whole_judged: judged_flags,
        }
    }

    /// `evidence._scanned`'s loop: for the competency's own matches (`mine`, numbered as
    /// the competency numbers them) and the shared scan's (`shared`, by shared id), the
    /// clauses each own pattern and each judgement pattern can match in (dicts of sets), and
    /// the sorted end offsets of each context regex. `clauses`: the note's clauses, each a
    /// tuple starting with its start and end; `starts`: their starts.
    fn locate<'py>(
        &self,
        py: Python<'py>,
        mine: &Ends,
        shared: &Ends,
        starts: Vec<usize>,
        clauses: &Bound<'py, PyList>,
    ) -> PyResult<(Bound<'py, PyDict>, Bound<'py, PyDict>, Vec<Vec<usize>>)> {
        let bound = self.own + self.judged;
        let mut context: Vec<Vec<usize>> = vec![Vec::new(); self.contexts];
        let mut own: Vec<(usize, usize)> = Vec::new();
        let mut judged: Vec<(usize, usize)> = Vec::new();
        let first = match starts.first() {
            Some(&first) => first,
            None => 0,
        };
        let clause_end =
            |clause: usize| -> PyResult<usize> { clauses.get_item(clause)?.get_item(1)?.extract() };
        let numbered = mine
            .found
            .iter()
            .map(|&(index, end)| (index as usize, end))
            .chain(shared.found.iter().map(|&(index, end)| {
                (
                    self.numbers
                        .get(index as usize)
                        .copied()
                        .unwrap_or(usize::MAX),
                    end,
                )
            }));
        for (index, end) in numbered {
            if index >= bound {
                if index - bound < self.contexts {
                    context[index - bound].push(end);
                }
                continue;
            }
            if end <= first {
                continue;
            }
            let clause = starts.partition_point(|&s| s <= end - 1) - 1;
            let (into, key, whole) = if index < self.own {
                (&mut own, index, self.whole_own[index])
            } else {
                (
                    &mut judged,
                    index - self.own,
                    self.whole_judged[index - self.own],
                )
            };
            if whole && end != clause_end(clause)? {
                continue;
            }
            into.push((key, clause));
        }
        for ends in context.iter_mut() {
            ends.sort_unstable();
        }
        Ok((grouped(py, &mut own)?, grouped(py, &mut judged)?, context))
    }
}

/// {pattern: {clause, ...}} of (pattern, clause) pairs.
fn grouped<'py>(py: Python<'py>, pairs: &mut [(usize, usize)]) -> PyResult<Bound<'py, PyDict>> {
    pairs.sort_unstable();
    let dict = PyDict::new_bound(py);
    let mut at = 0;
    while at < pairs.len() {
        let key = pairs[at].0;
        let mut to = at;
        let mut clauses: Vec<usize> = Vec::new();
        while to < pairs.len() && pairs[to].0 == key {
            if clauses.last() != Some(&pairs[to].1) {
                clauses.push(pairs[to].1);
            }
            to += 1;
        }
        dict.set_item(key, PySet::new_bound(py, &clauses)?)?;
        at = to;
    }
    Ok(dict)
}

#[pymodule]
fn hiring_pipeline_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(split_clauses, m)?)?;
    m.add_function(wrap_pyfunction!(split_clause_bytes, m)?)?;
    m.add_class::<NotesFeatures>()?;
    m.add_class::<Ends>()?;
    m.add_class::<Located>()?;
    Ok(())
}
