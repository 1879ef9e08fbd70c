#include "sim/workload/workload_csv.h"

#include <cctype>
#include <filesystem>
#include <fstream>

#include "sim/common/error.h"
#include "sim/common/text.h"

namespace npusim::workload_csv {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------------
// Small text helpers. Every message must stay on one line, so values are quoted with control
// characters escaped and long values truncated.

std::string lower_nospace(std::string_view s) {
  std::string out;
  for (unsigned char c : s)
    if (!std::isspace(c)) out += static_cast<char>(std::tolower(c));
  return out;
}

[[noreturn]] void fail(const std::string& path, int line, const std::string& msg) {
  throw InputError(path + ":" + std::to_string(line) + ": " + msg);
}

std::string int_expectation(int64_t lo, int64_t hi) {
  if (hi == kMaxValue) {
    if (lo == 1) return "a positive integer";
    if (lo == 0) return "a non-negative integer";
    return "an integer >= " + std::to_string(lo);
  }
  return "an integer in " + std::to_string(lo) + ".." + std::to_string(hi);
}

// ---------------------------------------------------------------------------------------------------
// Reading lines and CSV fields.


// Non-blank, non-comment lines of the file with their 1-based line numbers. Sets *total_lines.
std::vector<SourceLine> read_lines(const std::string& path, int* total_lines) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw InputError(path + ": cannot open workload file (is a directory)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open workload file");
  std::vector<SourceLine> lines;
  std::string text;
  int number = 0;
  while (std::getline(in, text)) {
    ++number;
    if (number == 1 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);  // UTF-8 BOM
    if (!text.empty() && text.back() == '\r') text.pop_back();
    const std::string t = trim(text);
    if (t.empty() || t[0] == '#') continue;
    lines.push_back({number, text});
  }
  *total_lines = number;
  return lines;
}

// Splits one CSV line. Unquoted fields are trimmed; a field may be double-quoted ("" escapes a quote).
std::vector<std::string> split_csv(const std::string& path, const SourceLine& line) {
  std::vector<std::string> fields;
  std::string cur;
  bool in_quotes = false, quoted = false;
  const std::string& s = line.text;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < s.size() && s[i + 1] == '"') {
          cur += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        cur += c;
      }
    } else if (c == '"') {
      if (quoted || !trim(cur).empty())
        fail(path, line.number, "field " + std::to_string(fields.size() + 1) + ": misplaced '\"'");
      cur.clear();
      in_quotes = quoted = true;
    } else if (c == ',') {
      fields.push_back(quoted ? cur : trim(cur));
      cur.clear();
      quoted = false;
    } else if (quoted) {
      if (!std::isspace(static_cast<unsigned char>(c)))
        fail(path, line.number, "field " + std::to_string(fields.size() + 1) + ": text after closing quote");
    } else {
      cur += c;
    }
  }
  if (in_quotes) fail(path, line.number, "unterminated quoted field");
  fields.push_back(quoted ? cur : trim(cur));
  return fields;
}

void check_unique(std::map<std::string, int>& seen, const Layer& L, const std::string& path, int line) {
  auto [it, inserted] = seen.emplace(L.name, line);
  if (!inserted)
    fail(path, line,
         "column 'name': duplicate layer name " + quote(L.name) + " (first defined at line " +
             std::to_string(it->second) + ")");
}

}  // namespace npusim::workload_csv
