#pragma once
// Constraint expressions of a sweep spec (docs/sweep_spec.md): numbers, quoted strings, identifiers
// (dotted config keys, options.<name>, derived figures), + - * / %, unary minus, parentheses,
// comparisons == != < <= > >=, and/or/not. Parsed once into a small AST, evaluated with a lookup
// callback, so the same expression filters points at expansion (config keys) and results in the runner
// (derived figures). Errors carry the 0-based character position in the text.
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace npusim {

// A parse or evaluation error at a position of the expression text.
class ExprError : public std::runtime_error {
 public:
  ExprError(size_t pos, const std::string& msg) : std::runtime_error(msg), pos(pos) {}
  size_t pos;
};

// A value: a number (booleans are 1 and 0) or a string.
struct ExprValue {
  bool is_string = false;
  double num = 0;
  std::string str;
  static ExprValue number(double v) { return {false, v, {}}; }
  static ExprValue string(std::string s) { return {true, 0, std::move(s)}; }
};

// The figures of a run's result that constraints may name; the runner supplies them.
const std::vector<std::string>& derived_figures();
bool is_derived_figure(const std::string& name);

class Expr {
 public:
  struct Node;
  // Value of an identifier; nullopt: unknown (an ExprError at the identifier's position).
  using Lookup = std::function<std::optional<ExprValue>(const std::string& name)>;

  static Expr parse(const std::string& text);  // throws ExprError
  ExprValue eval(const Lookup& lookup) const;  // throws ExprError
  // The value as a condition (non-zero); a string value is an ExprError.
  bool holds(const Lookup& lookup) const;
  const std::string& text() const { return text_; }
  // Every identifier, in order of first appearance, and the position of its first use.
  const std::vector<std::pair<std::string, size_t>>& identifiers() const { return idents_; }
  bool uses_derived_figures() const;

 private:
  std::string text_;
  std::shared_ptr<const Node> root_;
  std::vector<std::pair<std::string, size_t>> idents_;
};

}  // namespace npusim
