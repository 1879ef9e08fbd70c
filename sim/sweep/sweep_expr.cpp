#include "sim/sweep/sweep_expr.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "sim/common/text.h"

namespace npusim {

const std::vector<std::string>& derived_figures() {
  // Totals of a run's JSON report (DESIGN.md §4), per point and workload.
  static const std::vector<std::string> f = {"area_mm2",  "tops_per_w", "cycles",
                                             "energy_pj", "latency_s",  "utilization"};
  return f;
}

bool is_derived_figure(const std::string& name) {
  const auto& f = derived_figures();
  return std::find(f.begin(), f.end(), name) != f.end();
}

enum class Op { Num, Str, Ident, Neg, Not, Add, Sub, Mul, Div, Mod, Eq, Ne, Lt, Le, Gt, Ge, And, Or };

struct Expr::Node {
  Op op = Op::Num;
  size_t pos = 0;
  double num = 0;
  std::string str;  // string literal or identifier
  std::shared_ptr<const Node> a, b;
};

namespace {

using NodeP = std::shared_ptr<const Expr::Node>;

struct Token {
  enum Kind { Num, Str, Ident, Sym, End } kind = End;
  std::string text;
  double num = 0;
  size_t pos = 0;
};

std::vector<Token> tokenize(const std::string& s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = s[i];
    if (std::isspace(c)) {
      ++i;
      continue;
    }
    Token t;
    t.pos = i;
    if (std::isdigit(c) ||
        (c == '.' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      char* end = nullptr;
      t.kind = Token::Num;
      t.num = std::strtod(s.c_str() + i, &end);
      i = static_cast<size_t>(end - s.c_str());
      if (i < s.size() && (std::isalpha(static_cast<unsigned char>(s[i])) || s[i] == '_'))
        throw ExprError(i, "unexpected " + quote(std::string(1, s[i])) + " after a number");
    } else if (std::isalpha(c) || c == '_') {
      t.kind = Token::Ident;
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '.'))
        ++i;
      t.text = s.substr(t.pos, i - t.pos);
      if (t.text.back() == '.' || t.text.find("..") != std::string::npos)
        throw ExprError(t.pos, "malformed key " + quote(t.text));
    } else if (c == '\'' || c == '"') {
      const size_t close = s.find(static_cast<char>(c), i + 1);
      if (close == std::string::npos) throw ExprError(i, "unterminated string");
      t.kind = Token::Str;
      t.text = s.substr(i + 1, close - i - 1);
      i = close + 1;
    } else {
      static const char* two[] = {"==", "!=", "<=", ">="};
      t.kind = Token::Sym;
      for (const char* op : two)
        if (s.compare(i, 2, op) == 0) t.text = op;
      if (t.text.empty()) {
        if (std::string("+-*/%()<>").find(static_cast<char>(c)) == std::string::npos)
          throw ExprError(i, "unexpected character " + quote(std::string(1, static_cast<char>(c))));
        t.text = std::string(1, static_cast<char>(c));
      }
      i += t.text.size();
    }
    out.push_back(std::move(t));
  }
  Token end;
  end.pos = s.size();
  out.push_back(end);
  return out;
}

// Recursive descent, lowest precedence first: or, and, not, comparison, + -, * / %, unary minus.
class Parser {
 public:
  explicit Parser(const std::string& s) : toks_(tokenize(s)) {}

  NodeP parse() {
    if (toks_.front().kind == Token::End) throw ExprError(0, "empty expression");
    NodeP n = or_expr();
    if (peek().kind != Token::End) throw ExprError(peek().pos, "unexpected " + describe(peek()));
    return n;
  }
  std::vector<std::pair<std::string, size_t>> idents;

 private:
  const Token& peek() const { return toks_[i_]; }
  bool is_word(const char* w) const { return peek().kind == Token::Ident && peek().text == w; }
  bool is_sym(const char* s) const { return peek().kind == Token::Sym && peek().text == s; }
  static std::string describe(const Token& t) {
    return t.kind == Token::End ? std::string("end of expression")
                                : quote(t.kind == Token::Num ? "number" : t.text);
  }
  static NodeP make(Op op, size_t pos, NodeP a, NodeP b = nullptr) {
    auto n = std::make_shared<Expr::Node>();
    n->op = op;
    n->pos = pos;
    n->a = std::move(a);
    n->b = std::move(b);
    return n;
  }

  NodeP or_expr() {
    NodeP n = and_expr();
    while (is_word("or")) {
      const size_t pos = toks_[i_++].pos;
      n = make(Op::Or, pos, n, and_expr());
    }
    return n;
  }
  NodeP and_expr() {
    NodeP n = not_expr();
    while (is_word("and")) {
      const size_t pos = toks_[i_++].pos;
      n = make(Op::And, pos, n, not_expr());
    }
    return n;
  }
  NodeP not_expr() {
    if (is_word("not")) {
      const size_t pos = toks_[i_++].pos;
      return make(Op::Not, pos, not_expr());
    }
    return comparison();
  }
  NodeP comparison() {
    NodeP n = sum();
    static const std::pair<const char*, Op> ops[] = {{"==", Op::Eq}, {"!=", Op::Ne}, {"<=", Op::Le},
                                                     {">=", Op::Ge}, {"<", Op::Lt},  {">", Op::Gt}};
    for (const auto& [text, op] : ops) {
      if (!is_sym(text)) continue;
      const size_t pos = toks_[i_++].pos;
      n = make(op, pos, n, sum());
      for (const auto& o : ops)
        if (is_sym(o.first)) throw ExprError(peek().pos, "comparisons do not chain (use 'and')");
      break;
    }
    return n;
  }
  NodeP sum() {
    NodeP n = product();
    while (is_sym("+") || is_sym("-")) {
      const Token& t = toks_[i_++];
      n = make(t.text == "+" ? Op::Add : Op::Sub, t.pos, n, product());
    }
    return n;
  }
  NodeP product() {
    NodeP n = unary();
    while (is_sym("*") || is_sym("/") || is_sym("%")) {
      const Token& t = toks_[i_++];
      n = make(t.text == "*" ? Op::Mul : t.text == "/" ? Op::Div : Op::Mod, t.pos, n, unary());
    }
    return n;
  }
  NodeP unary() {
    if (is_sym("-")) {
      const size_t pos = toks_[i_++].pos;
      return make(Op::Neg, pos, unary());
    }
    return primary();
  }
  NodeP primary() {
    const Token& t = peek();
    auto n = std::make_shared<Expr::Node>();
    n->pos = t.pos;
    switch (t.kind) {
      case Token::Num:
        n->op = Op::Num;
        n->num = t.num;
        break;
      case Token::Str:
        n->op = Op::Str;
        n->str = t.text;
        break;
      case Token::Ident:
        if (t.text == "and" || t.text == "or" || t.text == "not")
          throw ExprError(t.pos, "expected a value, got " + quote(t.text));
        if (t.text == "true" || t.text == "false") {
          n->op = Op::Num;
          n->num = t.text == "true";
          break;
        }
        n->op = Op::Ident;
        n->str = t.text;
        if (std::none_of(idents.begin(), idents.end(), [&](const auto& p) { return p.first == t.text; }))
          idents.emplace_back(t.text, t.pos);
        break;
      case Token::Sym:
        if (t.text == "(") {
          ++i_;
          NodeP inner = or_expr();
          if (!is_sym(")")) throw ExprError(peek().pos, "expected ')', got " + describe(peek()));
          ++i_;
          return inner;
        }
        [[fallthrough]];
      case Token::End:
        throw ExprError(t.pos, "expected a value, got " + describe(t));
    }
    ++i_;
    return n;
  }

  std::vector<Token> toks_;
  size_t i_ = 0;
};

double number_of(const Expr::Node& n, const ExprValue& v) {
  if (v.is_string) throw ExprError(n.pos, "string " + quote(v.str) + " where a number is expected");
  return v.num;
}

ExprValue eval_node(const Expr::Node& n, const Expr::Lookup& lookup) {
  using V = ExprValue;
  switch (n.op) {
    case Op::Num:
      return V::number(n.num);
    case Op::Str:
      return V::string(n.str);
    case Op::Ident: {
      const auto v = lookup(n.str);
      if (!v) throw ExprError(n.pos, "unknown key " + quote(n.str));
      return *v;
    }
    case Op::Neg:
      return V::number(-number_of(*n.a, eval_node(*n.a, lookup)));
    case Op::Not:
      return V::number(number_of(*n.a, eval_node(*n.a, lookup)) == 0);
    case Op::And:  // short-circuit: the right side may name figures the left side rules out
      return V::number(number_of(*n.a, eval_node(*n.a, lookup)) != 0 &&
                       number_of(*n.b, eval_node(*n.b, lookup)) != 0);
    case Op::Or:
      return V::number(number_of(*n.a, eval_node(*n.a, lookup)) != 0 ||
                       number_of(*n.b, eval_node(*n.b, lookup)) != 0);
    default:
      break;
  }
  const V a = eval_node(*n.a, lookup), b = eval_node(*n.b, lookup);
  if (n.op >= Op::Eq && n.op <= Op::Ge && (a.is_string || b.is_string)) {
    if (!a.is_string || !b.is_string)
      throw ExprError(
          n.pos, "compares a string with a number (" + (a.is_string ? quote(a.str) : quote(b.str)) + ")");
    const int c = a.str.compare(b.str);
    switch (n.op) {
      case Op::Eq:
        return V::number(c == 0);
      case Op::Ne:
        return V::number(c != 0);
      case Op::Lt:
        return V::number(c < 0);
      case Op::Le:
        return V::number(c <= 0);
      case Op::Gt:
        return V::number(c > 0);
      default:
        return V::number(c >= 0);
    }
  }
  const double x = number_of(*n.a, a), y = number_of(*n.b, b);
  switch (n.op) {
    case Op::Add:
      return V::number(x + y);
    case Op::Sub:
      return V::number(x - y);
    case Op::Mul:
      return V::number(x * y);
    case Op::Div:
    case Op::Mod:
      if (y == 0) throw ExprError(n.pos, "division by zero");
      return V::number(n.op == Op::Div ? x / y : std::fmod(x, y));
    case Op::Eq:
      return V::number(x == y);
    case Op::Ne:
      return V::number(x != y);
    case Op::Lt:
      return V::number(x < y);
    case Op::Le:
      return V::number(x <= y);
    case Op::Gt:
      return V::number(x > y);
    default:
      return V::number(x >= y);
  }
}

}  // namespace

Expr Expr::parse(const std::string& text) {
  Parser p(text);
  Expr e;
  e.text_ = text;
  e.root_ = p.parse();
  e.idents_ = std::move(p.idents);
  return e;
}

ExprValue Expr::eval(const Lookup& lookup) const {
  return eval_node(*root_, lookup);
}

bool Expr::holds(const Lookup& lookup) const {
  const ExprValue v = eval(lookup);
  if (v.is_string) throw ExprError(0, "is a string (" + quote(v.str) + "), not a condition");
  return v.num != 0;
}

bool Expr::uses_derived_figures() const {
  return std::any_of(idents_.begin(), idents_.end(),
                     [](const auto& p) { return is_derived_figure(p.first); });
}

}  // namespace npusim
