// Live BIN/IIN feedback while typing: the check digit of Kazakhstan's 12-digit identifiers
// (first pass weights 1..11, second pass 3..11,1,2 when the first gives 10). Progressive
// enhancement only: the server checks every number again, and the page works without it.
// `tests/bin_check_js.rs` runs this function under Node against the Rust implementation.
function binProblem(s) {
  "use strict";
  if (!/^[0-9]{12}$/.test(s)) return "format";
  var d = s.split("").map(Number);
  var pass = function (weight) {
    var sum = 0;
    for (var i = 0; i < 11; i++) sum += weight(i) * d[i];
    return sum % 11;
  };
  var c = pass(function (i) { return i + 1; });
  if (c === 10) c = pass(function (i) { return ((i + 2) % 11) + 1; });
  if (c === 10) return "no_check_digit";
  return c === d[11] ? "" : "checksum";
}

if (typeof document !== "undefined") {
  document.querySelectorAll("input[data-bin-check]").forEach(function (input) {
    var live = document.getElementById(input.id + "-live");
    if (!live) return;
    var show = function () {
      var v = input.value.replace(/\s+/g, "");
      var p = v.length === 0 || (v.length < 12 && /^[0-9]*$/.test(v)) ? "" : binProblem(v);
      live.textContent = p ? input.getAttribute("data-msg-" + p) : (v.length === 12 ? input.getAttribute("data-msg-ok") : "");
      live.className = p ? "error" : "hint";
    };
    input.addEventListener("input", show);
    input.addEventListener("blur", show);
  });
}

if (typeof module !== "undefined") module.exports = binProblem;
