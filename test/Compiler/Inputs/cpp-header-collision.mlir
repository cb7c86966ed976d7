// Two argument names that become the same C++ identifier, for
// cpp-header-names.test.
tile.kernel @collide(%a.b: i64, %a_b: i64) grid (%a.b) {
}
