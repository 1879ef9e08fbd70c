// Constraint expressions: parsing, precedence, evaluation and errors with positions.
#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "sim/sweep/sweep_expr.h"

using namespace npusim;

namespace {

const std::map<std::string, ExprValue> kVars = {
    {"tpe.a", ExprValue::number(2)},      {"tpe.b", ExprValue::number(8)},
    {"array.rows", ExprValue::number(8)}, {"dataflow", ExprValue::string("os")},
    {"area_mm2", ExprValue::number(1.5)},
};

std::optional<ExprValue> lookup(const std::string& name) {
  const auto it = kVars.find(name);
  if (it == kVars.end()) return std::nullopt;
  return it->second;
}

double num(const std::string& text) {
  const ExprValue v = Expr::parse(text).eval(lookup);
  REQUIRE(!v.is_string);
  return v.num;
}

// The error's position (0-based) and message.
std::pair<size_t, std::string> parse_error(const std::string& text) {
  try {
    Expr::parse(text);
  } catch (const ExprError& e) {
    return {e.pos, e.what()};
  }
  FAIL("no ExprError for " << text);
  return {};
}

std::pair<size_t, std::string> eval_error(const std::string& text) {
  try {
    Expr::parse(text).eval(lookup);
  } catch (const ExprError& e) {
    return {e.pos, e.what()};
  }
  FAIL("no ExprError for " << text);
  return {};
}

}  // namespace

TEST_CASE("arithmetic precedence and associativity", "[expr]") {
  CHECK(num("1 + 2 * 3") == 7);
  CHECK(num("(1 + 2) * 3") == 9);
  CHECK(num("10 - 4 - 3") == 3);  // left-associative
  CHECK(num("100 / 10 / 5") == 2);
  CHECK(num("17 % 5 + 1") == 3);
  CHECK(num("-2 * -3") == 6);
  CHECK(num("- (1 + 2)") == -3);
  CHECK(num("2.5e1 + .5") == 25.5);
}

TEST_CASE("comparisons, boolean operators and their precedence", "[expr]") {
  CHECK(num("tpe.a * tpe.b * array.rows == 128") == 1);
  CHECK(num("1 + 1 == 2 and 3 < 2 or 1") == 1);  // (.. and ..) or 1
  CHECK(num("1 or 0 and 0") == 1);               // and binds tighter than or
  CHECK(num("not 1 == 2") == 1);                 // not (1 == 2)
  CHECK(num("not (1 == 1) or 0") == 0);
  CHECK(num("2 <= 2 and 2 >= 2 and 1 != 2 and 3 > 2") == 1);
  CHECK(num("true and not false") == 1);
}

TEST_CASE("strings compare with strings", "[expr]") {
  CHECK(num("dataflow == 'os'") == 1);
  CHECK(num("dataflow != \"ws\"") == 1);
  CHECK(num("'a' < 'b'") == 1);
  const auto [pos, msg] = eval_error("dataflow == 4");
  CHECK(pos == 9);
  CHECK_THAT(msg, Catch::Matchers::Contains("compares a string with a number"));
  CHECK_THAT(eval_error("dataflow + 1").second, Catch::Matchers::Contains("where a number is expected"));
}

TEST_CASE("identifiers and derived figures", "[expr]") {
  const Expr e = Expr::parse("tpe.a * tpe.a <= area_mm2 * 4 and tpe.b > 1");
  REQUIRE(e.identifiers().size() == 3);
  CHECK(e.identifiers()[0] == std::make_pair(std::string("tpe.a"), size_t{0}));
  CHECK(e.identifiers()[1].first == "area_mm2");
  CHECK(e.identifiers()[2] == std::make_pair(std::string("tpe.b"), size_t{34}));
  CHECK(e.uses_derived_figures());
  CHECK(!Expr::parse("tpe.a == 2").uses_derived_figures());
  for (const char* f : {"area_mm2", "tops_per_w", "cycles", "energy_pj", "latency_s", "utilization"})
    CHECK(is_derived_figure(f));
  CHECK(!is_derived_figure("tpe.a"));
  CHECK(e.holds(lookup));
}

TEST_CASE("evaluation errors carry positions", "[expr]") {
  CHECK(eval_error("tpe.a + nope.key") == std::make_pair(size_t{8}, std::string("unknown key 'nope.key'")));
  CHECK(eval_error("1 / (tpe.a - 2)").first == 2);
  CHECK(eval_error("1 % 0").second == "division by zero");
  CHECK_THROWS_AS(Expr::parse("'os'").holds(lookup), ExprError);
  // Short-circuit: the right side is not evaluated.
  CHECK(num("0 and nope") == 0);
  CHECK(num("1 or nope") == 1);
}

TEST_CASE("parse errors carry positions", "[expr]") {
  struct Case {
    const char* text;
    size_t pos;
    const char* needle;
  };
  const Case cases[] = {
      {"", 0, "empty expression"},
      {"1 +", 3, "expected a value, got end of expression"},
      {"(1 + 2", 6, "expected ')'"},
      {"1 + 2)", 5, "unexpected ')'"},
      {"tpe.a == * 2", 9, "expected a value, got '*'"},
      {"a < b < c", 6, "comparisons do not chain"},
      {"1 # 2", 2, "unexpected character '#'"},
      {"'os", 0, "unterminated string"},
      {"tpe..a == 1", 0, "malformed key"},
      {"2x", 1, "after a number"},
      {"1 and or 2", 6, "expected a value, got 'or'"},
      {"a b", 2, "unexpected 'b'"},
      {"1 = 2", 2, "unexpected character '='"},
  };
  for (const Case& c : cases) {
    INFO("expression: " << c.text);
    const auto [pos, msg] = parse_error(c.text);
    CHECK(pos == c.pos);
    CHECK_THAT(msg, Catch::Matchers::Contains(c.needle));
  }
}
