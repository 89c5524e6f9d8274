/*
 * The listening matcher's hot loops, compiled: deciding which words of a post the fuzzy
 * index must see (``WordScanner``), and folding text (``TextFolder``).
 *
 * A post's words are mostly words seen many times before, and almost none of them is near
 * a brand term. In Python every one of them costs a string object, a set insertion and a
 * set difference; here a word is hashed where it stands in the post and settled by a table
 * look-up, with no object made. A word never seen before is probed against the fuzzy
 * index's deletion neighbourhood (the strings left after deleting up to its edit budget of
 * letters) without building those strings either: their hashes come from prefix sums.
 *
 * The scanner only decides which words Python must look at. Its answer is
 * ``FuzzyIndex.may_match``'s, a superset of the words the fuzzy index would match: a word is
 * left out only when no deletion of it is a string indexed for a full key, nor any deletion
 * of its Polish stem one indexed for a stem. The two kinds are hashed apart (a full form is
 * never compared with a stem in ``lookup``), so each probe meets only its own kind. Hash
 * collisions can only add words to the answer, never remove one, except in the memo of
 * settled words, where two different words would have to share all 64 bits of a hash keyed
 * by a per-process random seed.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define MAX_WORD 64 /* the longest word ever probed; ``max_len`` may not exceed it */
#define MAX_AFFIX 8 /* the longest stem-rule ending or restored part */
#define SKIP 1      /* settled: near no term, never reported */
#define REPORT 2    /* always reported (a word with fuzzy hits, or part of a multi-word name) */
#define FIXED 4     /* given at construction; kept when the learnt statuses are dropped */
#define STATUS 7    /* the low bits of a slot that hold the status */

/* An open-addressing hash table of 64-bit hashes, each slot holding the hash with its low
 * three bits replaced by a status (0 marks an empty slot). Hash and status share one word
 * so that a look-up touches one cache line: on a stream's hot path the tables are several
 * megabytes and every look-up is a likely cache miss. */
typedef struct {
    uint64_t *slots;
    size_t mask;
    size_t count;
} Table;

static int table_init(Table *t, size_t expected) {
    size_t capacity = 16;
    while (capacity < expected * 2 + 2) capacity <<= 1;
    t->slots = PyMem_Calloc(capacity, sizeof(uint64_t));
    if (t->slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    t->mask = capacity - 1;
    t->count = 0;
    return 0;
}

static void table_free(Table *t) {
    PyMem_Free(t->slots);
    t->slots = NULL;
    t->count = 0;
}

static void table_clear(Table *t) {
    memset(t->slots, 0, (t->mask + 1) * sizeof(uint64_t));
    t->count = 0;
}

static inline size_t table_slot(const Table *t, uint64_t h) { return (size_t)(h >> 3) & t->mask; }

static inline void table_prefetch(const Table *t, uint64_t h) {
#if defined(__GNUC__)
    __builtin_prefetch(&t->slots[table_slot(t, h)]);
#else
    (void)t;
    (void)h;
#endif
}

/* The status stored for hash ``h``, 0 when absent. */
static inline unsigned table_get(const Table *t, uint64_t h) {
    const uint64_t tag = h & ~(uint64_t)STATUS;
    for (size_t slot = table_slot(t, h); t->slots[slot] != 0; slot = (slot + 1) & t->mask) {
        if ((t->slots[slot] & ~(uint64_t)STATUS) == tag) return t->slots[slot] & STATUS;
    }
    return 0;
}

static void table_place(Table *t, uint64_t entry) {
    size_t slot = table_slot(t, entry);
    while (t->slots[slot] != 0) slot = (slot + 1) & t->mask;
    t->slots[slot] = entry;
    t->count++;
}

static int table_grow(Table *t) {
    Table bigger;
    if (table_init(&bigger, t->mask + 1) < 0) return -1;
    for (size_t i = 0; i <= t->mask; i++) {
        if (t->slots[i] != 0) table_place(&bigger, t->slots[i]);
    }
    table_free(t);
    *t = bigger;
    return 0;
}

/* Store ``status`` for ``h``, over a learnt status but over a fixed one only when
 * ``status`` is fixed too; the table grows to stay at most half full. */
static int table_put(Table *t, uint64_t h, unsigned status) {
    if ((t->count + 1) * 2 > t->mask + 1 && table_grow(t) < 0) return -1;
    const uint64_t tag = h & ~(uint64_t)STATUS;
    size_t slot = table_slot(t, h);
    for (; t->slots[slot] != 0; slot = (slot + 1) & t->mask) {
        if ((t->slots[slot] & ~(uint64_t)STATUS) != tag) continue;
        if (!(t->slots[slot] & FIXED) || (status & FIXED)) t->slots[slot] = tag | status;
        return 0;
    }
    t->slots[slot] = tag | status;
    t->count++;
    return 0;
}

static inline uint64_t avalanche(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h ? h : 1;
}

/* A word's key in the memo: FNV-1a over its code points from the seed, then an avalanche so
 * that the low bits used as the slot are well mixed. */
static uint64_t word_key(uint64_t seed, const Py_UCS4 *cp, Py_ssize_t n) {
    uint64_t h = seed;
    for (Py_ssize_t i = 0; i < n; i++) h = (h ^ cp[i]) * 0x100000001b3ULL;
    return avalanche(h);
}

/* Deletion strings are keyed by a polynomial hash (sum of c[k] * base^(n-1-k), mod 2^64),
 * because with prefix sums the hash of a word less one or two letters takes a few
 * multiplications instead of a pass over the word: a 12-letter word has 79 such strings. */
static uint64_t poly(uint64_t base, const Py_UCS4 *cp, Py_ssize_t n) {
    uint64_t h = 0;
    for (Py_ssize_t i = 0; i < n; i++) h = h * base + cp[i];
    return h;
}
typedef struct {
    Py_UCS4 ending[MAX_AFFIX];
    Py_ssize_t ending_len;
    Py_UCS4 restored[MAX_AFFIX];
    Py_ssize_t restored_len;
} StemRule;

/* Which deletion depth to probe for a word of a given length (see ``FuzzyIndex``). */
typedef struct {
    signed char *depth;
    Py_ssize_t size;
    Py_ssize_t longest;
} DepthTable;

typedef struct {
    PyObject_HEAD
    uint64_t seed, base; /* base: the polynomial hash's multiplier, odd */
    uint64_t full_salt, stem_salt; /* keep the strings of full keys and of stems apart */
    Table index; /* every indexed deletion string, hashed with its kind's salt */
    uint64_t *bloom; /* one bit per indexed string, 8 bits per string: fits in a core's L2 */
    uint64_t bloom_mask;
    Table words; /* statuses given at construction (exact forms, everyday words, ...) and
                    learnt while scanning; the learnt ones are dropped when there are too many */
    uint64_t *fixed; /* the slots given at construction, to put back after a drop */
    Py_ssize_t n_fixed, memo_limit;
    Py_ssize_t min_len, max_len, max_probes;
    Py_ssize_t min_report_len; /* the shortest word marked to report ("us" of "US Airways") */
    DepthTable full, stem;
    int stems;
    StemRule *rules;
    Py_ssize_t n_rules, min_stem;
} WordScanner;

static int depth_for(const DepthTable *d, Py_ssize_t length) {
    if (d->size == 0 || length > d->longest) return -1;
    return d->depth[length < d->size ? length : d->size - 1];
}

/* Keys waiting to be looked up in the index. Each slot is prefetched when its key is added
 * and read only when the batch is full, so the cache misses of a whole batch overlap
 * instead of following one another. */
#define BATCH 64
typedef struct {
    const Table *index;
    uint64_t keys[BATCH];
    int count;
} Batch;

static int batch_flush(Batch *b) {
    int hit = 0;
    for (int k = 0; k < b->count && !hit; k++) hit = table_get(b->index, b->keys[k]) != 0;
    b->count = 0;
    return hit;
}

static inline int batch_add(Batch *b, uint64_t key) {
    table_prefetch(b->index, key);
    b->keys[b->count++] = key;
    return b->count == BATCH ? batch_flush(b) : 0;
}

/* Whether ``key`` may be in the index: a look-up that stays in the L2 cache and turns away
 * about nine in ten of the strings that are not, before they cost a trip to main memory. */
static inline int bloom_may_have(const WordScanner *s, uint64_t key) {
    uint64_t bit = (key >> 24) & s->bloom_mask;
    return (s->bloom[bit >> 6] >> (bit & 63)) & 1;
}

static inline void bloom_add(WordScanner *s, uint64_t key) {
    uint64_t bit = (key >> 24) & s->bloom_mask;
    s->bloom[bit >> 6] |= (uint64_t)1 << (bit & 63);
}

/* Add the keys of every deletion of up to ``depth`` letters of the word, hashed with the
 * ``salt`` of the kind of key it is compared with; 1 on a hit. */
static int add_deletions(const WordScanner *s, Batch *b, const Py_UCS4 *cp, Py_ssize_t n,
                         int depth, uint64_t salt) {
    uint64_t prefix[MAX_WORD + MAX_AFFIX + 1], power[MAX_WORD + MAX_AFFIX + 1];
    const uint64_t base = s->base;
    prefix[0] = 0;
    power[0] = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        prefix[i + 1] = prefix[i] * base + cp[i];
        power[i + 1] = power[i] * base;
    }
    /* the hash of cp[a:b] */
#define PART(a, b) (prefix[b] - prefix[a] * power[(b) - (a)])
#define TRY(h)                                                                     \
    do {                                                                           \
        uint64_t key = avalanche((h) ^ salt);                                      \
        if (bloom_may_have(s, key) && batch_add(b, key)) return 1;                 \
    } while (0)
    TRY(prefix[n]);
    for (Py_ssize_t i = 0; depth >= 1 && i < n; i++) {
        if (i > 0 && cp[i] == cp[i - 1]) continue; /* same string as deleting i - 1 */
        TRY(prefix[i] * power[n - i - 1] + PART(i + 1, n));
    }
    for (Py_ssize_t i = 0; depth >= 2 && i < n; i++) {
        for (Py_ssize_t j = i + 1; j < n; j++)
            TRY(prefix[i] * power[n - i - 2] + PART(i + 1, j) * power[n - j - 1] + PART(j + 1, n));
    }
#undef TRY
#undef PART
    return 0;
}

/* ``variants.polish_stem``: strip the first ending that fits, restoring the stem's letters. */
static Py_ssize_t polish_stem(const WordScanner *s, const Py_UCS4 *cp, Py_ssize_t n,
                              Py_UCS4 *out) {
    for (Py_ssize_t r = 0; r < s->n_rules; r++) {
        const StemRule *rule = &s->rules[r];
        Py_ssize_t kept = n - rule->ending_len;
        if (kept < 0 || kept + rule->restored_len < s->min_stem) continue;
        if (memcmp(cp + kept, rule->ending, rule->ending_len * sizeof(Py_UCS4)) != 0) continue;
        memcpy(out, cp, kept * sizeof(Py_UCS4));
        memcpy(out + kept, rule->restored, rule->restored_len * sizeof(Py_UCS4));
        return kept + rule->restored_len;
    }
    memcpy(out, cp, n * sizeof(Py_UCS4));
    return n;
}

/* Could ``FuzzyIndex.lookup`` find a term for this word? Never false when it could. */
static int may_match(const WordScanner *s, const Py_UCS4 *cp, Py_ssize_t n) {
    Batch batch = {.index = &s->index, .count = 0};
    int depth = depth_for(&s->full, n);
    if (depth >= 0 && add_deletions(s, &batch, cp, n, depth, s->full_salt)) return 1;
    if (s->stems) {
        Py_UCS4 stem[MAX_WORD + MAX_AFFIX];
        Py_ssize_t stem_len = polish_stem(s, cp, n, stem);
        depth = depth_for(&s->stem, stem_len);
        if (depth >= 0 && add_deletions(s, &batch, stem, stem_len, depth, s->stem_salt))
            return 1;
    }
    return batch_flush(&batch);
}

/* Drop every learnt status, keeping the fixed ones. */
static void forget_learnt(WordScanner *s) {
    table_clear(&s->words);
    for (Py_ssize_t k = 0; k < s->n_fixed; k++) table_place(&s->words, s->fixed[k]);
}

/* Learn a status, first dropping every learnt one when the memo is full. */
static int memo_put(WordScanner *s, uint64_t h, unsigned status) {
    if ((Py_ssize_t)s->words.count >= s->n_fixed + s->memo_limit) forget_learnt(s);
    return table_put(&s->words, h, status);
}

/* Settle one word whose memo key is ``h``: 1 when Python must look at it, 0 when not, -1 on
 * error. ``marked`` (may be NULL) is set when the word was marked to report at construction. */
static int settle(WordScanner *s, uint64_t h, const Py_UCS4 *cp, Py_ssize_t n,
                  Py_ssize_t *probes, int *marked) {
    unsigned status = table_get(&s->words, h);
    if (marked != NULL) *marked = status == (FIXED | REPORT);
    if (status & SKIP) return 0;
    if (status & REPORT) return 1;
    if (n < s->min_len || *probes >= s->max_probes) return 0;
    (*probes)++;
    if (may_match(s, cp, n)) return 1; /* Python decides, then calls ``remember`` */
    return memo_put(s, h, SKIP) < 0 ? -1 : 0;
}

/* Whether a word this long can need anything at all. */
static inline int worth_settling(const WordScanner *s, Py_ssize_t n) {
    return n <= s->max_len && (n >= s->min_len || n >= s->min_report_len);
}

/* ``settle`` for a word not yet hashed; 0 for a word no length can need. */
static int settle_word(WordScanner *s, const Py_UCS4 *cp, Py_ssize_t n, Py_ssize_t *probes) {
    if (!worth_settling(s, n)) return 0;
    return settle(s, word_key(s->seed, cp, n), cp, n, probes, NULL);
}

static int copy_word(PyObject *word, Py_UCS4 *buf, Py_ssize_t *n) {
    if (!PyUnicode_Check(word)) {
        PyErr_Format(PyExc_TypeError, "expected str, got %.80s", Py_TYPE(word)->tp_name);
        return -1;
    }
    *n = PyUnicode_GET_LENGTH(word);
    if (*n > MAX_WORD) return 0;
    int kind = PyUnicode_KIND(word);
    const void *data = PyUnicode_DATA(word);
    for (Py_ssize_t i = 0; i < *n; i++) buf[i] = PyUnicode_READ(kind, data, i);
    return 1;
}

/* Hash every str of an iterable into the index (``status`` 0, hashed with ``salt``) or into
 * the word table with ``status``, fixed. Strings longer than any word the scanner reads are
 * never met. */
static int put_all(WordScanner *s, PyObject *strings, unsigned status, uint64_t salt) {
    PyObject *iterator = PyObject_GetIter(strings);
    if (iterator == NULL) return -1;
    PyObject *string;
    Py_UCS4 buf[MAX_WORD];
    while ((string = PyIter_Next(iterator)) != NULL) {
        Py_ssize_t n;
        int fits = copy_word(string, buf, &n);
        Py_DECREF(string);
        if (fits < 0) goto error;
        if (!fits) continue;
        int failed;
        if (status == 0) {
            uint64_t key = avalanche(poly(s->base, buf, n) ^ salt);
            bloom_add(s, key);
            failed = table_put(&s->index, key, SKIP);
        } else {
            if (status == REPORT && n < s->min_report_len) s->min_report_len = n;
            failed = table_put(&s->words, word_key(s->seed, buf, n), FIXED | status);
        }
        if (failed < 0) goto error;
    }
    Py_DECREF(iterator);
    return PyErr_Occurred() ? -1 : 0;
error:
    Py_DECREF(iterator);
    return -1;
}

/* Keep a copy of the fixed slots, to put back whenever the learnt ones are dropped. */
static int keep_fixed(WordScanner *s) {
    s->n_fixed = (Py_ssize_t)s->words.count;
    s->fixed = PyMem_Malloc((s->n_fixed > 0 ? s->n_fixed : 1) * sizeof(uint64_t));
    if (s->fixed == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t k = 0;
    for (size_t i = 0; i <= s->words.mask; i++) {
        if (s->words.slots[i] != 0) s->fixed[k++] = s->words.slots[i];
    }
    /* room for the memo too, so that the table never grows while scanning */
    Table sized;
    if (table_init(&sized, (size_t)(s->n_fixed + s->memo_limit)) < 0) return -1;
    for (k = 0; k < s->n_fixed; k++) table_place(&sized, s->fixed[k]);
    table_free(&s->words);
    s->words = sized;
    return 0;
}

static int read_depths(PyObject *seq, Py_ssize_t longest, DepthTable *out) {
    PyObject *fast = PySequence_Fast(seq, "depths must be a sequence of ints");
    if (fast == NULL) return -1;
    Py_ssize_t size = PySequence_Fast_GET_SIZE(fast);
    out->depth = PyMem_Malloc(size > 0 ? size : 1);
    if (out->depth == NULL) {
        Py_DECREF(fast);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < size; i++) {
        long depth = PyLong_AsLong(PySequence_Fast_GET_ITEM(fast, i));
        if (depth == -1 && PyErr_Occurred()) {
            Py_DECREF(fast);
            return -1;
        }
        if (depth < -1 || depth > 2) {
            Py_DECREF(fast);
            PyErr_SetString(PyExc_ValueError, "deletion depths run from -1 to 2");
            return -1;
        }
        out->depth[i] = (signed char)depth;
    }
    out->size = size;
    out->longest = longest;
    Py_DECREF(fast);
    return 0;
}

static int read_affix(PyObject *text, Py_UCS4 *out, Py_ssize_t *n) {
    if (!PyUnicode_Check(text) || PyUnicode_GET_LENGTH(text) > MAX_AFFIX) {
        PyErr_SetString(PyExc_ValueError, "stem rule parts are str of at most 8 letters");
        return -1;
    }
    *n = PyUnicode_GET_LENGTH(text);
    for (Py_ssize_t i = 0; i < *n; i++) out[i] = PyUnicode_READ_CHAR(text, i);
    return 0;
}

static int read_rules(WordScanner *s, PyObject *seq) {
    PyObject *fast = PySequence_Fast(seq, "stem_rules must be a sequence of (ending, restored)");
    if (fast == NULL) return -1;
    s->n_rules = PySequence_Fast_GET_SIZE(fast);
    s->rules = PyMem_Calloc(s->n_rules > 0 ? s->n_rules : 1, sizeof(StemRule));
    if (s->rules == NULL) {
        Py_DECREF(fast);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t r = 0; r < s->n_rules; r++) {
        PyObject *ending, *restored;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(fast, r), "UU", &ending, &restored) ||
            read_affix(ending, s->rules[r].ending, &s->rules[r].ending_len) < 0 ||
            read_affix(restored, s->rules[r].restored, &s->rules[r].restored_len) < 0) {
            Py_DECREF(fast);
            return -1;
        }
    }
    Py_DECREF(fast);
    return 0;
}

static void WordScanner_dealloc(WordScanner *self) {
    table_free(&self->index);
    table_free(&self->words);
    PyMem_Free(self->fixed);
    PyMem_Free(self->bloom);
    PyMem_Free(self->full.depth);
    PyMem_Free(self->stem.depth);
    PyMem_Free(self->rules);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int WordScanner_init(WordScanner *self, PyObject *args, PyObject *kwargs) {
    static char *names[] = {"full_deletions", "stem_deletions", "full_depths", "longest_full",
                            "stem_depths",    "longest_stem",   "stem_rules",  "min_stem",
                            "skip",           "report",         "min_len",     "max_len",
                            "max_probes",     "memo_limit",     "seed",        NULL};
    PyObject *full_deletions, *stem_deletions, *full_depths, *stem_depths, *stem_rules, *skip,
        *report;
    Py_ssize_t longest_full, longest_stem, min_stem;
    unsigned long long seed;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOOnOnOnOO$nnnnK", names, &full_deletions,
                                     &stem_deletions, &full_depths, &longest_full, &stem_depths,
                                     &longest_stem, &stem_rules, &min_stem, &skip, &report,
                                     &self->min_len, &self->max_len, &self->max_probes,
                                     &self->memo_limit, &seed))
        return -1;
    if (self->index.slots != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "WordScanner is already initialised");
        return -1;
    }
    if (self->max_len > MAX_WORD || self->min_len < 1 || self->memo_limit < 1) {
        PyErr_Format(PyExc_ValueError, "need 1 <= min_len, max_len <= %d, memo_limit >= 1",
                     MAX_WORD);
        return -1;
    }
    self->seed = (uint64_t)seed;
    self->base = avalanche((uint64_t)seed + 0x9e3779b97f4a7c15ULL) | 1;
    self->full_salt = self->seed;
    self->stem_salt = avalanche((uint64_t)seed + 0x632be59bd9b4e019ULL);
    self->min_report_len = self->max_len + 1;
    self->min_stem = min_stem;
    Py_ssize_t full_count = PyObject_Length(full_deletions);
    Py_ssize_t stem_count = full_count < 0 ? -1 : PyObject_Length(stem_deletions);
    if (stem_count < 0) return -1;
    Py_ssize_t expected = full_count + stem_count;
    if (table_init(&self->index, (size_t)expected) < 0 || table_init(&self->words, 1024) < 0)
        return -1;
    uint64_t bits = 512;
    while (bits < (uint64_t)expected * 8) bits <<= 1;
    self->bloom = PyMem_Calloc(bits / 64, sizeof(uint64_t));
    if (self->bloom == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    self->bloom_mask = bits - 1;
    if (read_depths(full_depths, longest_full, &self->full) < 0 ||
        read_depths(stem_depths, longest_stem, &self->stem) < 0 ||
        read_rules(self, stem_rules) < 0)
        return -1;
    self->stems = self->stem.size > 0;
    /* report after skip: a word in both is reported */
    if (put_all(self, full_deletions, 0, self->full_salt) < 0 ||
        put_all(self, stem_deletions, 0, self->stem_salt) < 0 ||
        put_all(self, skip, SKIP, 0) < 0 || put_all(self, report, REPORT, 0) < 0 ||
        keep_fixed(self) < 0)
        return -1;
    return 0;
}

static int check_ready(WordScanner *self) {
    if (self->index.slots == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "WordScanner was not initialised");
        return -1;
    }
    return 0;
}

/* Append a new str of the given code points to ``list``. */
static int append_word(PyObject *list, const Py_UCS4 *cp, Py_ssize_t n) {
    PyObject *word = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, cp, n);
    int failed = word == NULL || PyList_Append(list, word) < 0;
    Py_XDECREF(word);
    return failed ? -1 : 0;
}

static inline int ascii_lower(Py_UCS4 c) { return c >= 'a' && c <= 'z'; }
static inline int ascii_upper(Py_UCS4 c) { return c >= 'A' && c <= 'Z'; }

/* Settle the lowercased camel-case pieces of one run of ASCII letters that changes from lower
 * to upper case ("OcdaoFail" -> "ocdao", "fail"), splitting as ``normalise.camel_pieces``
 * does: an upper-case letter starts a piece with the lower-case run after it, and a run of
 * capitals ("JFKAirport") is a piece of its own, less the capital that starts the next. */
static int camel_pieces(WordScanner *s, const Py_UCS4 *run, Py_ssize_t m, Py_ssize_t *probes,
                        PyObject *words) {
    Py_UCS4 piece[MAX_WORD];
    Py_ssize_t p = 0;
    while (p < m) {
        Py_ssize_t q = p;
        if (ascii_upper(run[p]) && (p + 1 >= m || !ascii_lower(run[p + 1]))) {
            while (q < m && ascii_upper(run[q])) q++;
            if (q < m) q--; /* the last capital starts the next, lower-case piece */
        } else {
            q = p + 1;
            while (q < m && ascii_lower(run[q])) q++;
        }
        Py_ssize_t n = q - p;
        if (n <= MAX_WORD) {
            for (Py_ssize_t k = 0; k < n; k++) {
                Py_UCS4 c = run[p + k];
                piece[k] = ascii_upper(c) ? c + ('a' - 'A') : c;
            }
            int wanted = settle_word(s, piece, n, probes);
            if (wanted < 0 || (wanted && append_word(words, piece, n) < 0)) return -1;
        }
        p = q;
    }
    return 0;
}

/* Every maximal run of ASCII letters in the text as written that has a lower-to-upper change
 * gives its pieces to ``camel_pieces``. */
static int scan_camel(WordScanner *s, PyObject *original, Py_ssize_t *probes,
                      PyObject *words) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(original), i = 0;
    int kind = PyUnicode_KIND(original);
    const void *data = PyUnicode_DATA(original);
    Py_UCS4 run[MAX_WORD];
    while (i < n) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (!ascii_lower(c) && !ascii_upper(c)) {
            i++;
            continue;
        }
        Py_ssize_t m = 0;
        int camel = 0;
        for (; i < n; i++) {
            c = PyUnicode_READ(kind, data, i);
            if (!ascii_lower(c) && !ascii_upper(c)) break;
            if (m > 0 && m < MAX_WORD && ascii_upper(c) && ascii_lower(run[m - 1])) camel = 1;
            if (m < MAX_WORD) run[m] = c;
            m++;
        }
        /* A longer run is read up to its first MAX_WORD letters, as ``PyWordScanner`` does. */
        if (camel && camel_pieces(s, run, m < MAX_WORD ? m : MAX_WORD, probes, words) < 0)
            return -1;
    }
    return 0;
}

PyDoc_STRVAR(scan_doc,
             "scan(text, original) -> (words, windows)\n\n"
             "The words of folded ``text`` that Python must look at: words that may be near "
             "a term and words marked to report, plus the lowercased camel-case pieces of "
             "``original`` (the text as written) that may be. ``windows`` are (glued, first, "
             "second) for two neighbouring words, one of them marked, whose gluing may be near "
             "a term (\"jet blu\" for \"JetBlue\").");

/* One letter-and-digit run of the text, hashed on the first pass of ``scan``. */
typedef struct {
    Py_ssize_t start, length;
    uint64_t key; /* 0: no length of word can need it */
} Run;
#define RUNS 64 /* runs hashed (and their slots prefetched) before any is settled */

static void read_run(int kind, const void *data, const Run *run, Py_UCS4 *out) {
    for (Py_ssize_t k = 0; k < run->length; k++) out[k] = PyUnicode_READ(kind, data, run->start + k);
}

/* Glue ``before`` and ``run`` and settle the result; on a want, append (glued, first,
 * second) to ``windows``. */
static int settle_window(WordScanner *s, PyObject *text, const Run *before, const Run *run,
                         Py_ssize_t *probes, PyObject *windows) {
    Py_UCS4 glued[2 * MAX_WORD];
    Py_ssize_t n = before->length + run->length;
    read_run(PyUnicode_KIND(text), PyUnicode_DATA(text), before, glued);
    read_run(PyUnicode_KIND(text), PyUnicode_DATA(text), run, glued + before->length);
    int wanted = settle_word(s, glued, n, probes);
    if (wanted <= 0) return wanted;
    PyObject *window = Py_BuildValue(
        "(NNN)", PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, glued, n),
        PyUnicode_Substring(text, before->start, before->start + before->length),
        PyUnicode_Substring(text, run->start, run->start + run->length));
    int failed = window == NULL || PyList_Append(windows, window) < 0;
    Py_XDECREF(window);
    return failed ? -1 : 0;
}

static PyObject *WordScanner_scan(WordScanner *self, PyObject *args) {
    PyObject *text, *original;
    if (check_ready(self) < 0 || !PyArg_ParseTuple(args, "UU", &text, &original)) return NULL;
    PyObject *words = PyList_New(0), *windows = PyList_New(0);
    if (words == NULL || windows == NULL) goto error;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), probes = 0, i = 0;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Run runs[RUNS], before = {-1, 0, 0};
    int before_marked = 0;
    Py_UCS4 word[MAX_WORD];
    while (i < n) {
        /* First pass: find and hash up to RUNS runs, prefetching each one's slot. */
        int count = 0;
        while (i < n && count < RUNS) {
            if (!Py_UNICODE_ISALNUM(PyUnicode_READ(kind, data, i))) {
                i++;
                continue;
            }
            Run *run = &runs[count++];
            run->start = i;
            uint64_t h = self->seed;
            for (; i < n; i++) {
                Py_UCS4 c = PyUnicode_READ(kind, data, i);
                if (!Py_UNICODE_ISALNUM(c)) break;
                h = (h ^ c) * 0x100000001b3ULL; /* ``word_key``, letter by letter */
            }
            run->length = i - run->start;
            run->key = worth_settling(self, run->length) ? avalanche(h) : 0;
            if (run->key) table_prefetch(&self->words, run->key);
        }
        /* Second pass: settle them in order, gluing neighbours where one is marked. */
        for (int r = 0; r < count; r++) {
            const Run *run = &runs[r];
            int marked = 0, wanted = 0;
            if (run->key) {
                read_run(kind, data, run, word);
                wanted = settle(self, run->key, word, run->length, &probes, &marked);
                if (wanted < 0 || (wanted && append_word(words, word, run->length) < 0))
                    goto error;
            }
            if (before.start >= 0 && (marked || before_marked) &&
                before.length + run->length <= self->max_len &&
                settle_window(self, text, &before, run, &probes, windows) < 0)
                goto error;
            before = *run;
            before_marked = marked;
        }
    }
    if (scan_camel(self, original, &probes, words) < 0) goto error;
    return Py_BuildValue("(NN)", words, windows);
error:
    Py_XDECREF(words);
    Py_XDECREF(windows);
    return NULL;
}

PyDoc_STRVAR(remember_doc,
             "remember(word, report)\n\n"
             "Record Python's verdict on a word ``scan`` reported: ``report`` when it has fuzzy "
             "hits (keep reporting it), otherwise it is settled and skipped from now on. A word "
             "given at construction keeps its status, and one longer than ``max_len`` is never "
             "asked about: neither takes room in the memo.");

static PyObject *WordScanner_remember(WordScanner *self, PyObject *args) {
    PyObject *word;
    int report;
    if (check_ready(self) < 0 || !PyArg_ParseTuple(args, "Up", &word, &report)) return NULL;
    Py_UCS4 buf[MAX_WORD];
    Py_ssize_t n;
    int fits = copy_word(word, buf, &n);
    if (fits < 0) return NULL;
    if (!fits || n > self->max_len) Py_RETURN_NONE;
    uint64_t h = word_key(self->seed, buf, n);
    if (table_get(&self->words, h) & FIXED) Py_RETURN_NONE;
    if (memo_put(self, h, report ? REPORT : SKIP) < 0) return NULL;
    Py_RETURN_NONE;
}

static PyObject *WordScanner_forget(WordScanner *self, PyObject *Py_UNUSED(ignored)) {
    if (check_ready(self) < 0) return NULL;
    forget_learnt(self);
    Py_RETURN_NONE;
}

/* The number of learnt statuses. */
static Py_ssize_t WordScanner_len(WordScanner *self) {
    return (Py_ssize_t)self->words.count - self->n_fixed;
}

static PyMethodDef WordScanner_methods[] = {
    {"scan", (PyCFunction)WordScanner_scan, METH_VARARGS, scan_doc},
    {"remember", (PyCFunction)WordScanner_remember, METH_VARARGS, remember_doc},
    {"forget", (PyCFunction)WordScanner_forget, METH_NOARGS, "Drop every learnt status."},
    {NULL, NULL, 0, NULL},
};

static PySequenceMethods WordScanner_as_sequence = {.sq_length = (lenfunc)WordScanner_len};

static PyTypeObject WordScannerType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "mentiondesk.listening._compiled.WordScanner",
    .tp_doc = PyDoc_STR("Decides, per word of a post, whether the fuzzy index must see it."),
    .tp_basicsize = sizeof(WordScanner),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)WordScanner_init,
    .tp_dealloc = (destructor)WordScanner_dealloc,
    .tp_methods = WordScanner_methods,
    .tp_as_sequence = &WordScanner_as_sequence,
};

/* ---- Folding ---------------------------------------------------------------------------
 * ``normalise`` lowercases with ``str.lower`` and then maps every character through the fold
 * table (diacritics off, homoglyphs to Latin). ``str.translate`` with a dict does a dict
 * look-up per character; here it is an array index. */

#define SLOW_PATH 0xFFFFFFFFu /* a character that needs the offset-keeping slow path */

typedef struct {
    PyObject_HEAD
    Py_UCS4 *map; /* code point -> folded code point; 0 keeps it, SLOW_PATH gives up */
    Py_ssize_t size;
} TextFolder;

static void TextFolder_dealloc(TextFolder *self) {
    PyMem_Free(self->map);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int TextFolder_init(TextFolder *self, PyObject *args, PyObject *kwargs) {
    static char *names[] = {"table", "slow", NULL};
    PyObject *table, *slow, *key, *value;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O!U", names, &PyDict_Type, &table, &slow))
        return -1;
    if (self->map != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "TextFolder is already initialised");
        return -1;
    }
    Py_ssize_t size = 128, pos = 0;
    while (PyDict_Next(table, &pos, &key, &value)) {
        long cp = PyLong_AsLong(key);
        if (cp < 0 || cp > 0x10FFFF || !PyUnicode_Check(value) ||
            PyUnicode_GET_LENGTH(value) != 1) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "the table maps code points to one character");
            return -1;
        }
        if (cp >= size) size = cp + 1;
    }
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(slow); i++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(slow, i);
        if ((Py_ssize_t)c >= size) size = (Py_ssize_t)c + 1;
    }
    self->map = PyMem_Calloc(size, sizeof(Py_UCS4));
    if (self->map == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    self->size = size;
    pos = 0;
    while (PyDict_Next(table, &pos, &key, &value))
        self->map[PyLong_AsLong(key)] = PyUnicode_READ_CHAR(value, 0);
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(slow); i++)
        self->map[PyUnicode_READ_CHAR(slow, i)] = SLOW_PATH;
    return 0;
}

PyDoc_STRVAR(fold_doc,
             "fold(lowered) -> str or None\n\n"
             "``lowered`` with every character mapped through the table, or None when it holds "
             "a character of ``slow`` (the caller then keeps offsets the slow way). ASCII text "
             "is returned as it is.");

static PyObject *TextFolder_fold(TextFolder *self, PyObject *text) {
    if (self->map == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "TextFolder was not initialised");
        return NULL;
    }
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "fold() needs a str");
        return NULL;
    }
    if (PyUnicode_IS_ASCII(text)) return Py_NewRef(text); /* as ``normalise``'s ASCII path */
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_UCS4 *out = PyMem_Malloc((n > 0 ? n : 1) * sizeof(Py_UCS4));
    if (out == NULL) return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        Py_UCS4 mapped = (Py_ssize_t)c < self->size ? self->map[c] : 0;
        if (mapped == SLOW_PATH) {
            PyMem_Free(out);
            Py_RETURN_NONE;
        }
        out[i] = mapped ? mapped : c;
    }
    PyObject *folded = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, n);
    PyMem_Free(out);
    return folded;
}

static PyMethodDef TextFolder_methods[] = {
    {"fold", (PyCFunction)TextFolder_fold, METH_O, fold_doc},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject TextFolderType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "mentiondesk.listening._compiled.TextFolder",
    .tp_doc = PyDoc_STR("Maps lowercased text through the fold table in one pass."),
    .tp_basicsize = sizeof(TextFolder),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)TextFolder_init,
    .tp_dealloc = (destructor)TextFolder_dealloc,
    .tp_methods = TextFolder_methods,
};

static struct PyModuleDef compiled_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_compiled",
    .m_doc = "The listening matcher's hot loops, compiled (see wordscan.py and normalise.py).",
    .m_size = -1,
};

PyMODINIT_FUNC PyInit__compiled(void) {
    if (PyType_Ready(&WordScannerType) < 0 || PyType_Ready(&TextFolderType) < 0) return NULL;
    PyObject *module = PyModule_Create(&compiled_module);
    if (module == NULL) return NULL;
    if (PyModule_AddObjectRef(module, "WordScanner", (PyObject *)&WordScannerType) < 0 ||
        PyModule_AddObjectRef(module, "TextFolder", (PyObject *)&TextFolderType) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
