// Every element type and access mode, and argument names that are not C++
// identifiers as they are (a keyword, a '.') or that name a type, for cpp-header-names.test. The
// body is empty: only the signature matters to the header.
tile.kernel @mixed_types(%x: !tile.buffer<f16, read>, %class: !tile.buffer<bf16, readwrite>,
                         %ids: !tile.buffer<i32, write>, %n.rows: i32, %len: i64,
                         %int64_t: i64)
    params [BLOCK in [32, 64] = 64, num_warps in [4] = 4]
    key [%len]
    grid (cdiv(%len, BLOCK) * 2 + %n.rows mod 4, (%len - 1) / 2) {
}
