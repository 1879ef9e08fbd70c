"""A light Verilog tokenizer and the mutation operators of scripts/mutate (docs/mutation.md).

Mutants are token-level edits of the production text of one file. Never mutated: comments, strings,
compiler directives, code in inactive `ifdef regions (the defined macros are VERILATOR only, so every
`ifdef NPUSIM_FAULT_... branch is skipped and its `else branch, the production RTL, is mutated), the module
header (parameters and port list) and the declaration part of declarations (widths, ranges: everything
before the initializer's '=').

Operator classes (the `cls` of a mutant):
  arith   binary + <-> -
  logic   & <-> |, ^ -> |, && <-> ||, unary ~ / ! dropped
  rel     < <-> <=, > <-> >=, == <-> !=
  shift   >> <-> <<, >>> -> >>, <<< -> <<
  const   a literal c -> c+1, c-1 (same width, wrapped)
  cond    if (c) -> if (!(c)); c ? a : b -> !(c) ? a : b
  stuck   assign y = e / q <= e  ->  '0 and '1
  swap    operands of a non-commutative binary operator; the arms of a ternary
  reset   a register assignment dropped from a reset branch; rst ? r : e -> e
  skew    q <= p where p <= e is itself registered  ->  q <= (e): one register stage less
  index   [e] -> [(e)+1] / [(e)-1]; [b +: w] -> [(b)+(w) +: w] / [(b)-(w) +: w]
"""
import hashlib
import re
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

CLASSES = ["arith", "logic", "rel", "shift", "const", "cond", "stuck", "swap", "reset", "skew", "index"]

_OPS = sorted(["<<<", ">>>", "===", "!==", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+:", "-:",
               "~&", "~|", "~^", "^~", "**", "->"], key=len, reverse=True)
_NUM = re.compile(r"(\d[\d_]*)?\s*'[sS]?[bBoOdDhH]\s*[0-9a-fA-FxXzZ_?]+|'[01xXzZ]|\d[\d_]*(\.\d+)?([eE][-+]?\d+)?")
_IDENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_DECL = {"input", "output", "inout", "wire", "reg", "logic", "integer", "genvar", "localparam", "parameter",
         "signed", "tri", "real", "time"}
_KEYWORDS = {"module", "endmodule", "begin", "end", "if", "else", "for", "while", "case", "casez", "casex",
             "endcase", "default", "always", "initial", "assign", "generate", "endgenerate", "posedge",
             "negedge", "or", "function", "endfunction", "task", "endtask", "automatic", "import", "export",
             "return", "repeat", "forever"} | _DECL
_OPERAND_END = {"ident", "num"}
_DEFINED = {"VERILATOR"}


@dataclass
class Tok:
    kind: str   # ident, num, op, str, dir
    text: str
    start: int
    end: int
    line: int
    active: bool = True   # production code outside the module header
    decl: bool = False    # inside a declaration before its initializer


@dataclass
class Mutant:
    file: str                     # path as given to generate()
    cls: str
    line: int
    edits: List[Tuple[int, int, str]]  # (start, end, replacement) on the original text
    desc: str
    id: str = ""
    text: str = field(default="", repr=False)


def tokenize(src: str) -> List[Tok]:
    toks: List[Tok] = []
    i, n, line = 0, len(src), 1
    while i < n:
        c = src[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            line += src.count("\n", i, j)
            i = j
        elif c == '"':
            j = i + 1
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            toks.append(Tok("str", src[i:j + 1], i, j + 1, line))
            i = j + 1
        elif c == "`":
            m = _IDENT.match(src, i + 1)
            name = m.group(0) if m else ""
            j = i + 1 + len(name)
            if name in ("ifdef", "ifndef", "elsif"):
                m2 = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)").match(src, j)
                j = m2.end() if m2 else j
            elif name in ("define", "include", "timescale", "undef", "default_nettype"):
                k = src.find("\n", j)
                j = n if k < 0 else k
            toks.append(Tok("dir", src[i:j], i, j, line))
            i = j
        elif c.isdigit() or (c == "'" and i + 1 < n and src[i + 1] in "01xXzZsSbBoOdDhH"):
            m = _NUM.match(src, i)
            if m and m.end() > i:
                toks.append(Tok("num", src[i:m.end()], i, m.end(), line))
                i = m.end()
            else:
                toks.append(Tok("op", c, i, i + 1, line))
                i += 1
        elif c.isalpha() or c in "_$":
            m = _IDENT.match(src, i)
            toks.append(Tok("ident", m.group(0), i, m.end(), line))
            i = m.end()
        else:
            for op in _OPS:
                if src.startswith(op, i):
                    toks.append(Tok("op", op, i, i + len(op), line))
                    i += len(op)
                    break
            else:
                toks.append(Tok("op", c, i, i + 1, line))
                i += 1
    _mark_active(toks)
    return toks


def _mark_active(toks: List[Tok]) -> None:
    # `ifdef regions: a stack of (this branch active, some earlier branch taken).
    stack: List[Tuple[bool, bool]] = []
    in_header = False
    depth = 0
    stmt_decl = False
    seen_eq = False
    for t in toks:
        enabled = all(a for a, _ in stack)
        if t.kind == "dir":
            t.active = False
            word = t.text.split()[0]
            if word in ("`ifdef", "`ifndef"):
                name = t.text.split()[1] if len(t.text.split()) > 1 else ""
                on = (name in _DEFINED) == (word == "`ifdef")
                stack.append((on, on))
            elif word == "`elsif" and stack:
                name = t.text.split()[1] if len(t.text.split()) > 1 else ""
                _, taken = stack[-1]
                on = (not taken) and name in _DEFINED
                stack[-1] = (on, taken or on)
            elif word == "`else" and stack:
                _, taken = stack[-1]
                stack[-1] = (not taken, True)
            elif word == "`endif" and stack:
                stack.pop()
            continue
        if not enabled:
            t.active = False
            continue
        if t.kind == "ident" and t.text == "module":
            in_header, depth = True, 0
        if in_header:
            t.active = False
            if t.text in "([{":
                depth += 1
            elif t.text in ")]}":
                depth -= 1
            elif t.text == ";" and depth == 0:
                in_header = False
            continue
        # Declarations: everything up to the initializer's '=' (or the ';') is declaration.
        if t.kind == "ident" and t.text in _DECL and not stmt_decl:
            stmt_decl, seen_eq, depth = True, False, 0
        if stmt_decl:
            if t.text in "([{":
                depth += 1
            elif t.text in ")]}":
                depth -= 1
            if t.text == "=" and depth == 0:
                seen_eq = True
            elif t.text in (";", ",") and depth == 0 and seen_eq:
                if t.text == ";":
                    stmt_decl = False
                else:
                    seen_eq = False
            elif t.text == ";" and depth == 0:
                stmt_decl = False
            if not seen_eq or t.text == "=":
                t.decl = True


_PAIRS = {"(": ")", "[": "]", "{": "}", ")": "(", "]": "[", "}": "{"}


def _match(toks, i, step):
    """Index of the bracket matching toks[i], searching forward (step 1) or backward (step -1)."""
    o, c = toks[i].text, _PAIRS[toks[i].text]
    d = 0
    for j in range(i, len(toks) if step > 0 else -1, step):
        if toks[j].text == o:
            d += 1
        elif toks[j].text == c:
            d -= 1
            if d == 0:
                return j
    return None


def _match_fwd(toks, i):
    """Index of the bracket closing toks[i]."""
    return _match(toks, i, 1)


def _match_back(toks, i):
    """Index of the bracket opening toks[i]."""
    return _match(toks, i, -1)


def _primary_fwd(toks, i):
    """[i, j) spanning one primary starting at i (unary ~ ! -, ident with selects, call, literal, group), or None."""
    n = len(toks)
    if i >= n:
        return None
    t = toks[i]
    if t.text in ("~", "!", "-") and t.kind == "op":
        r = _primary_fwd(toks, i + 1)
        return (i, r[1]) if r else None
    if t.kind == "num":
        return (i, i + 1)
    if t.text in ("(", "{"):
        j = _match_fwd(toks, i)
        if j is None:
            return None
        j += 1
    elif t.kind == "ident" and t.text not in _KEYWORDS:
        j = i + 1
        if j < n and toks[j].text == "(" and t.text.startswith("$"):
            k = _match_fwd(toks, j)
            if k is None:
                return None
            j = k + 1
    else:
        return None
    while j < n and toks[j].text == "[":
        k = _match_fwd(toks, j)
        if k is None:
            return None
        j = k + 1
    return (i, j)


def _primary_back(toks, j):
    """[i, j+1) spanning the primary that ends at toks[j], or None."""
    k = j
    while k >= 0 and toks[k].text == "]":
        o = _match_back(toks, k)
        if o is None:
            return None
        k = o - 1
    if k < 0:
        return None
    t = toks[k]
    if t.text in (")", "}"):
        o = _match_back(toks, k)
        if o is None:
            return None
        if t.text == ")" and o > 0 and toks[o - 1].kind == "ident" and toks[o - 1].text.startswith("$"):
            o -= 1
        return (o, j + 1)
    if t.kind == "num" and k == j:
        return (k, j + 1)
    if t.kind == "ident" and t.text not in _KEYWORDS:
        return (k, j + 1)
    return None


_LEFT_BOUND = {"=", "<=", "(", "?", ":", ",", "&&", "||", "{", "assign"}
_RIGHT_BOUND = {";", ")", "?", ":", ",", "&&", "||", "}"}


def _lit_value(text):
    """(width or None, value, is_sized) of a literal without x/z, else None."""
    t = text.replace("_", "").replace(" ", "")
    if re.search(r"[xXzZ?]", t.split("'")[-1][1:] if "'" in t else ""):
        return None
    if "'" not in t:
        if "." in t or "e" in t.lower():
            return None
        return (None, int(t), False)
    size, rest = t.split("'", 1)
    if rest and rest[0] in "sS":
        rest = rest[1:]
    if not rest or rest[0] not in "bBoOdDhH":
        return None   # '0, '1
    base = {"b": 2, "o": 8, "d": 10, "h": 16}[rest[0].lower()]
    try:
        v = int(rest[1:], base)
    except ValueError:
        return None
    return (int(size) if size else 32, v, True)


class _Gen:
    def __init__(self, path, src):
        self.path, self.src = path, src
        self.toks = [t for t in tokenize(src) if t.kind != "dir"]
        self.out: List[Mutant] = []
        self._exclude_checks_and_faults()

    def _exclude_checks_and_faults(self):
        """Parameter legality checks (an if whose block only reports: $error, $fatal) and the plumbing of the
        deliberate-fault variants (lines naming FAULT_* / FLT* parameters) are not production datapath."""
        toks = self.toks
        for k, t in enumerate(toks):
            if t.kind == "ident" and t.text == "if" and k + 1 < len(toks) and toks[k + 1].text == "(":
                c = _match_fwd(toks, k + 1)
                if c is None or c + 1 >= len(toks) or toks[c + 1].text != "begin":
                    continue
                d, e = 0, None
                for j in range(c + 1, len(toks)):
                    if toks[j].text == "begin":
                        d += 1
                    elif toks[j].text == "end":
                        d -= 1
                        if d == 0:
                            e = j
                            break
                body = toks[c + 2:e] if e else []
                if body and any(x.text in ("$error", "$fatal") for x in body) and \
                        not any(x.text in ("<=", "=", "assign") for x in body):
                    for j in range(k, e + 1):
                        toks[j].active = False
        fault_lines = {t.line for t in toks if t.kind == "ident" and re.match(r"(FAULT|FLT)", t.text)}
        for t in toks:
            if t.line in fault_lines:
                t.active = False

    def add(self, cls, tok, edits, desc):
        self.out.append(Mutant(self.path, cls, tok.line, edits, desc))

    def run(self):
        toks = self.toks
        n = len(toks)
        nba = self._nba_positions()
        resets = self._reset_ranges()
        in_reset = [False] * n
        for a, b in resets:
            for k in range(a, b):
                in_reset[k] = True
        bracket = [0] * n   # inside [...] (index expressions and ranges)
        d = 0
        for k, t in enumerate(toks):
            if t.text == "[":
                d += 1
            bracket[k] = d
            if t.text == "]":
                d -= 1
        mutable = [t.active and not t.decl for t in toks]
        # Replication counts {(N) {x}}: changing them only changes a zero/sign fill that is truncated or
        # extended back to the target width.
        for k, t in enumerate(toks):
            if t.text == "(" and k > 0 and toks[k - 1].text == "{":
                c = _match_fwd(toks, k)
                if c is not None and c + 1 < n and toks[c + 1].text == "{":
                    for j in range(k, c + 1):
                        mutable[j] = False
        # The step clause of a for header (i = i + 1): its mutants only make elaboration loop forever.
        for k, t in enumerate(toks):
            if t.kind == "ident" and t.text == "for" and k + 1 < n and toks[k + 1].text == "(":
                c = _match_fwd(toks, k + 1)
                semis = [j for j in range(k + 2, c or k) if toks[j].text == ";"]
                if c is not None and len(semis) == 2:
                    for j in range(semis[1] + 1, c):
                        mutable[j] = False
        for k, t in enumerate(toks):
            if not mutable[k]:
                continue
            prev = toks[k - 1] if k > 0 else None
            binary = prev is not None and (prev.kind in _OPERAND_END or prev.text in (")", "]", "}")) and \
                prev.text not in _KEYWORDS
            if t.kind == "op":
                txt = t.text
                if binary and txt in ("+", "-") and not (k + 1 < n and toks[k + 1].text == ":"):
                    self.add("arith", t, [(t.start, t.end, "-" if txt == "+" else "+")], f"{txt} -> {'-' if txt == '+' else '+'}")
                if binary and txt in ("&", "|", "^", "&&", "||"):
                    rep = {"&": "|", "|": "&", "^": "|", "&&": "||", "||": "&&"}[txt]
                    self.add("logic", t, [(t.start, t.end, rep)], f"{txt} -> {rep}")
                if not binary and txt in ("~", "!"):
                    self.add("logic", t, [(t.start, t.end, "")], f"drop unary {txt}")
                if binary and txt in ("<", ">", ">=", "==", "!=") or (txt == "<=" and k not in nba and binary):
                    rep = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "=="}[txt]
                    self.add("rel", t, [(t.start, t.end, rep)], f"{txt} -> {rep}")
                if binary and txt in (">>", "<<", ">>>", "<<<"):
                    rep = {">>": "<<", "<<": ">>", ">>>": ">>", "<<<": "<<"}[txt]
                    self.add("shift", t, [(t.start, t.end, rep)], f"{txt} -> {rep}")
                if binary and txt in ("-", "<", ">", "<=", ">=", ">>", "<<") and not (txt == "<=" and k in nba):
                    self._swap_operands(k)
                if txt == "?":
                    self._ternary(k)
                if txt == "[" and bracket[k] == 1:
                    self._index(k)
            elif t.kind == "num":
                if bracket[k] or (k + 1 < n and toks[k + 1].text == "{"):
                    continue
                self._const(t)
            elif t.kind == "ident":
                if t.text == "if" and k + 1 < n and toks[k + 1].text == "(":
                    c = _match_fwd(toks, k + 1)
                    if c is not None:
                        a, b = toks[k + 1], toks[c]
                        self.add("cond", t, [(a.end, a.end, "!("), (b.start, b.start, ")")], "if (c) -> if (!(c))")
                if t.text == "assign":
                    self._stuck(k, "=")
        for k in sorted(nba):
            if mutable[k] and not in_reset[k]:
                self._stuck(k, "<=", nba_at=k)
        self._reset_mutants(resets, nba)
        self._skew(nba, in_reset)
        return self.out

    # Statement scan: positions of '<=' that are non-blocking assignments.
    def _nba_positions(self):
        toks = self.toks
        nba = set()
        depth, assigned, ternary = 0, False, 0
        ctrl_close = set()
        for k, t in enumerate(toks):
            x = t.text
            if t.kind == "ident" and x in ("if", "for", "while", "case", "casez", "casex") and \
                    k + 1 < len(toks) and toks[k + 1].text == "(":
                c = _match_fwd(toks, k + 1)
                if c is not None:
                    ctrl_close.add(c)
            if x == "@" and k + 1 < len(toks) and toks[k + 1].text == "(":
                c = _match_fwd(toks, k + 1)
                if c is not None:
                    ctrl_close.add(c)
            if x in ("(", "[", "{"):
                depth += 1
            elif x in (")", "]", "}"):
                depth -= 1
                if k in ctrl_close:
                    assigned, ternary = False, 0
                continue
            if t.kind == "ident" and x in ("begin", "end", "else", "endcase", "default", "always", "initial",
                                            "assign", "endgenerate", "generate"):
                assigned, ternary = False, 0
            elif x == ";":
                assigned, ternary = False, 0
            elif x == "?" and depth == 0:
                ternary += 1
            elif x == ":" and depth == 0:
                if ternary:
                    ternary -= 1
                else:
                    assigned = False
            elif x == "<=" and depth == 0 and not assigned:
                nba.add(k)
                assigned = True
            elif x == "=" and depth == 0:
                assigned = True
            elif x == "@" and k + 1 < len(toks) and toks[k + 1].text == "*":
                assigned = False
        return nba

    def _stmt_end(self, k):
        d = 0
        for j in range(k, len(self.toks)):
            x = self.toks[j].text
            if x in "([{":
                d += 1
            elif x in ")]}":
                d -= 1
            elif x == ";" and d == 0:
                return j
        return None

    def _stuck(self, k, eq, nba_at=None):
        toks = self.toks
        if eq == "=":
            e = None
            for j in range(k + 1, len(toks)):
                if toks[j].text == "=":
                    e = j
                    break
                if toks[j].text == ";":
                    break
            if e is None:
                return
        else:
            e = nba_at
        end = self._stmt_end(e)
        if end is None or end == e + 1:
            return
        rhs = self.src[toks[e + 1].start:toks[end - 1].end]
        if end - e == 2 and toks[e + 1].kind == "num":
            return   # already a constant
        for v in ("'0", "'1"):
            self.add("stuck", toks[e], [(toks[e + 1].start, toks[end - 1].end, v)], f"{rhs[:40]} -> {v}")

    def _swap_operands(self, k):
        toks = self.toks
        lp = _primary_back(toks, k - 1)
        rp = _primary_fwd(toks, k + 1)
        if not lp or not rp:
            return
        before = toks[lp[0] - 1].text if lp[0] > 0 else ";"
        after = toks[rp[1]].text if rp[1] < len(toks) else ";"
        if before not in _LEFT_BOUND or after not in _RIGHT_BOUND:
            return
        a = self.src[toks[lp[0]].start:toks[lp[1] - 1].end]
        b = self.src[toks[rp[0]].start:toks[rp[1] - 1].end]
        if a == b:
            return
        self.add("swap", toks[k], [(toks[lp[0]].start, toks[lp[1] - 1].end, b),
                                  (toks[rp[0]].start, toks[rp[1] - 1].end, a)], f"{a} {toks[k].text} {b} -> swapped")

    def _ternary(self, k):
        toks = self.toks
        # Condition: a primary right before '?', bounded on the left.
        cp = _primary_back(toks, k - 1)
        if cp and cp[0] > 0 and toks[cp[0] - 1].text in _LEFT_BOUND:
            a, b = toks[cp[0]], toks[cp[1] - 1]
            cond = self.src[a.start:b.end]
            self.add("cond", toks[k], [(a.start, a.start, "!("), (b.end, b.end, ")")], f"{cond} ? -> !({cond}) ?")
        # Arms.
        p1 = _primary_fwd(toks, k + 1)
        if not p1 or p1[1] >= len(toks) or toks[p1[1]].text != ":":
            return
        p2 = _primary_fwd(toks, p1[1] + 1)
        if not p2 or p2[1] >= len(toks) or toks[p2[1]].text not in _RIGHT_BOUND - {":"} | {";"}:
            return
        x = self.src[toks[p1[0]].start:toks[p1[1] - 1].end]
        y = self.src[toks[p2[0]].start:toks[p2[1] - 1].end]
        if x != y:
            self.add("swap", toks[k], [(toks[p1[0]].start, toks[p1[1] - 1].end, y),
                                      (toks[p2[0]].start, toks[p2[1] - 1].end, x)], f"? {x} : {y} -> ? {y} : {x}")

    def _index(self, k):
        toks = self.toks
        c = _match_fwd(toks, k)
        if c is None or c == k + 1:
            return
        inner = toks[k + 1:c]
        d = 0
        split = None
        for j, t in enumerate(inner):
            if t.text in "([{":
                d += 1
            elif t.text in ")]}":
                d -= 1
            elif d == 0 and t.text in (":", "+:", "-:"):
                split = j
                break
        a = toks[k + 1]
        if split is None:
            b = toks[c - 1]
            e = self.src[a.start:b.end]
            for s in ("+1", "-1"):
                self.add("index", toks[k], [(a.start, b.end, f"({e}){s}")], f"[{e}] -> [({e}){s}]")
        elif inner[split].text == "+:":
            b = inner[split - 1]
            e = self.src[a.start:b.end]
            w = self.src[inner[split + 1].start:toks[c - 1].end] if split + 1 < len(inner) else ""
            if not w:
                return
            for s in ("+", "-"):
                self.add("index", toks[k], [(a.start, b.end, f"({e}){s}({w})")], f"[{e} +: {w}] -> [({e}){s}({w}) +: {w}]")

    def _const(self, t):
        lv = _lit_value(t.text)
        if lv is None:
            return
        width, v, sized = lv
        reps = []
        if sized:
            mod = 1 << width
            sgn = "s" if re.match(r"\d*\s*'[sS]", t.text) else ""
            for nv in (v + 1, v - 1):
                reps.append(f"{width}'{sgn}d{nv % mod}")
        else:
            reps.append(str(v + 1))
            if v > 0:
                reps.append(str(v - 1))
        seen = set()
        for r in reps:
            if r in seen or _lit_value(r) and _lit_value(r)[1] == v:
                continue
            seen.add(r)
            self.add("const", t, [(t.start, t.end, r)], f"{t.text} -> {r}")

    # Reset branches: token ranges of the statements under `if (<cond naming a reset>)`.
    def _reset_ranges(self):
        toks = self.toks
        out = []
        for k, t in enumerate(toks):
            if not (t.active and t.kind == "ident" and t.text == "if" and k + 1 < len(toks) and toks[k + 1].text == "("):
                continue
            c = _match_fwd(toks, k + 1)
            if c is None:
                continue
            if not any(re.fullmatch(r"(rst|reset)(_n|_ni)?|[a-z_]*rst[a-z_]*", x.text) and x.kind == "ident"
                       for x in toks[k + 2:c]):
                continue
            if any(x.text in ("&&", "||") for x in toks[k + 2:c]):
                continue   # a reset ANDed with something else: not a plain reset branch
            s = c + 1
            if s < len(toks) and toks[s].text == "begin":
                d, e = 0, None
                for j in range(s, len(toks)):
                    if toks[j].text in ("begin", "case", "casez", "casex"):
                        d += 1
                    elif toks[j].text in ("end", "endcase"):
                        d -= 1
                        if d == 0:
                            e = j
                            break
                if e is not None:
                    out.append((s + 1, e))
            else:
                e = self._stmt_end(s)
                if e is not None:
                    out.append((s, e + 1))
        return out

    def _reset_mutants(self, resets, nba):
        toks = self.toks
        for a, b in resets:
            for k in range(a, b):
                if k in nba and toks[k].active:
                    # statement start: the lvalue right before '<='
                    lp = _primary_back(toks, k - 1)
                    e = self._stmt_end(k)
                    if not lp or e is None:
                        continue
                    s0, s1 = toks[lp[0]], toks[e]
                    stmt = self.src[s0.start:s1.end]
                    self.add("reset", toks[k], [(s0.start, s1.end, ";")], f"drop reset '{stmt[:50]}'")
        # rst ? r : e  ->  e
        for k, t in enumerate(toks):
            if not (t.active and not t.decl and t.text == "?" and k > 0 and toks[k - 1].kind == "ident"
                    and re.fullmatch(r"rst|reset|[a-z_]*rst[a-z_]*", toks[k - 1].text)):
                continue
            p1 = _primary_fwd(toks, k + 1)
            if p1 and p1[1] < len(toks) and toks[p1[1]].text == ":":
                colon = toks[p1[1]]
                self.add("reset", t, [(toks[k - 1].start, colon.end, "")], f"drop reset '{toks[k - 1].text} ? ... :'")

    def _skew(self, nba, in_reset):
        toks = self.toks
        # Registers assigned once outside reset: name -> RHS text (single statement, plain lvalue).
        rhs = {}
        count = {}
        for k in nba:
            if in_reset[k] or not toks[k].active:
                continue
            if k < 1 or toks[k - 1].kind != "ident":
                continue
            e = self._stmt_end(k)
            if e is None:
                continue
            name = toks[k - 1].text
            count[name] = count.get(name, 0) + 1
            rhs[name] = (self.src[toks[k + 1].start:toks[e - 1].end], k + 1, e)
        for name, (text, a, e) in rhs.items():
            if count[name] != 1:
                continue
            if e - a == 1 and toks[a].kind == "ident" and toks[a].text in rhs and count.get(toks[a].text) == 1:
                src_rhs = rhs[toks[a].text][0]
                if toks[a].text in src_rhs or name in src_rhs:
                    continue
                self.add("skew", toks[a], [(toks[a].start, toks[a].end, f"({src_rhs})")],
                         f"{name} <= {toks[a].text} -> {name} <= ({src_rhs[:40]})")


def apply(src: str, edits) -> str:
    out = src
    for s, e, r in sorted(edits, key=lambda x: (x[0], x[1]), reverse=True):
        out = out[:s] + r + out[e:]
    return out


def generate(path: str, src: str, stem: str) -> List[Mutant]:
    """Every mutant of one file, deduplicated by text, ids stable against edits elsewhere in the file."""
    lines = src.split("\n")
    seen = {src}
    out = []
    for m in _Gen(path, src).run():
        m.text = apply(src, m.edits)
        if m.text in seen:
            continue
        seen.add(m.text)
        line_text = lines[m.line - 1].strip()
        h = hashlib.sha1((line_text + "|" + m.cls + "|" + m.desc + "|" +
                          repr([(s - src.rfind("\n", 0, s), e - s, r) for s, e, r in m.edits])).encode()).hexdigest()[:6]
        m.id = f"{stem}:{m.line}:{m.cls}:{h}"
        out.append(m)
    return out


def diff_lines(src: str, text: str) -> Tuple[str, str]:
    """The first differing line pair (original, mutant) for the report."""
    a, b = src.split("\n"), text.split("\n")
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    ja, jb = len(a) - 1, len(b) - 1
    while ja > i and jb > i and a[ja] == b[jb]:
        ja, jb = ja - 1, jb - 1
    return ("\n".join(x.strip() for x in a[i:ja + 1]), "\n".join(x.strip() for x in b[i:jb + 1]))
