#include "sim/cosim/vcd_writer.h"

#include <map>

namespace npusim::cosim {

VcdWriter::VcdWriter(const std::string& path, const std::string& timescale)
    : out_(path), timescale_(timescale) {}

int VcdWriter::add(const std::string& scope, const std::string& name, int width) {
  std::string code;
  for (size_t n = sigs_.size();; n = n / 94 - 1) {  // printable identifier codes '!'..'~'
    code += static_cast<char>('!' + n % 94);
    if (n < 94) break;
  }
  sigs_.push_back({scope, name, code, width, 0, false});
  return static_cast<int>(sigs_.size() - 1);
}

void VcdWriter::header() {
  out_ << "$timescale " << timescale_ << " $end\n";
  std::map<std::string, std::vector<const Sig*>> by_scope;
  for (const auto& s : sigs_) by_scope[s.scope].push_back(&s);
  for (const auto& [scope, sigs] : by_scope) {
    out_ << "$scope module " << scope << " $end\n";
    for (const Sig* s : sigs) out_ << "$var wire " << s->width << " " << s->code << " " << s->name << " $end\n";
    out_ << "$upscope $end\n";
  }
  out_ << "$enddefinitions $end\n";
  started_ = true;
}

void VcdWriter::set_time(uint64_t t) {
  if (!started_) header();
  out_ << "#" << t << "\n";
}

void VcdWriter::set(int id, uint64_t value) {
  Sig& s = sigs_[static_cast<size_t>(id)];
  if (s.dumped && s.value == value) return;
  s.value = value;
  s.dumped = true;
  if (s.width == 1) {
    out_ << (value & 1) << s.code << "\n";
    return;
  }
  std::string bits;
  for (int b = s.width - 1; b >= 0; --b) bits += ((value >> b) & 1) ? '1' : '0';
  out_ << "b" << bits << " " << s.code << "\n";
}

}  // namespace npusim::cosim
