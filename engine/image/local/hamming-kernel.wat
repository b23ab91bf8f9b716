;; The two nearest library descriptors of each query descriptor within its vocabulary node: the hot
;; loop of putative matching (putative.ts matchGrouped), in WebAssembly with 128-bit SIMD
;; (i8x16.popcnt counts the bits of a 256-bit ORB descriptor in two vector operations).
;; Source of hamming-wasm.ts, which `npm run build:wasm` (scripts/build-wasm.ts) writes from this
;; file with wabt; tests/unit/hamming-wasm.test.ts checks that the committed bytes are this file's.
;;
;; best2(q, node, nq, base, lib, order, start, span, out), every argument a byte offset or a count:
;;   q      nq query descriptors, 32 bytes each
;;   node   nq u32: each query descriptor's vocabulary node
;;   base   the library grouping's smallest node id; group b = node − base (skipped unless 0 ≤ b < span)
;;   lib    library descriptors, 32 bytes each
;;   order  u32 library keypoint indices sorted by node; group b is order[start[b] .. start[b + 1])
;;   start  span + 1 u32
;;   out    nq × 3 i32: smallest distance, second smallest, library index of the smallest
;;          (257, 257, −1 when the group is empty; ties keep the first in order, as the JS did)
(module
  (memory (export "memory") 1)
  (func (export "best2")
    (param $q i32) (param $node i32) (param $nq i32) (param $base i32)
    (param $lib i32) (param $order i32) (param $start i32) (param $span i32) (param $out i32)
    (local $i i32) (local $b i32) (local $s i32) (local $to i32) (local $j i32) (local $p i32)
    (local $d i32) (local $d1 i32) (local $d2 i32) (local $j1 i32)
    (local $a0 v128) (local $a1 v128) (local $c v128)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $nq)))
        (local.set $d1 (i32.const 257))
        (local.set $d2 (i32.const 257))
        (local.set $j1 (i32.const -1))
        (local.set $b
          (i32.sub (i32.load (i32.add (local.get $node) (i32.shl (local.get $i) (i32.const 2)))) (local.get $base)))
        (if (i32.lt_u (local.get $b) (local.get $span))
          (then
            (local.set $s (i32.load (i32.add (local.get $start) (i32.shl (local.get $b) (i32.const 2)))))
            (local.set $to (i32.load (i32.add (local.get $start) (i32.shl (i32.add (local.get $b) (i32.const 1)) (i32.const 2)))))
            (local.set $p (i32.add (local.get $q) (i32.shl (local.get $i) (i32.const 5))))
            (local.set $a0 (v128.load (local.get $p)))
            (local.set $a1 (v128.load offset=16 (local.get $p)))
            (block $end
              (loop $scan
                (br_if $end (i32.ge_u (local.get $s) (local.get $to)))
                (local.set $j (i32.load (i32.add (local.get $order) (i32.shl (local.get $s) (i32.const 2)))))
                (local.set $p (i32.add (local.get $lib) (i32.shl (local.get $j) (i32.const 5))))
                ;; Bits per byte (at most 8 + 8), summed pairwise up to four 32-bit lanes, then across.
                (local.set $c
                  (i32x4.extadd_pairwise_i16x8_u
                    (i16x8.extadd_pairwise_i8x16_u
                      (i8x16.add
                        (i8x16.popcnt (v128.xor (local.get $a0) (v128.load (local.get $p))))
                        (i8x16.popcnt (v128.xor (local.get $a1) (v128.load offset=16 (local.get $p))))))))
                (local.set $d
                  (i32.add
                    (i32.add (i32x4.extract_lane 0 (local.get $c)) (i32x4.extract_lane 1 (local.get $c)))
                    (i32.add (i32x4.extract_lane 2 (local.get $c)) (i32x4.extract_lane 3 (local.get $c)))))
                (if (i32.lt_u (local.get $d) (local.get $d1))
                  (then
                    (local.set $d2 (local.get $d1))
                    (local.set $d1 (local.get $d))
                    (local.set $j1 (local.get $j)))
                  (else
                    (if (i32.lt_u (local.get $d) (local.get $d2))
                      (then (local.set $d2 (local.get $d))))))
                (local.set $s (i32.add (local.get $s) (i32.const 1)))
                (br $scan)))))
        (local.set $p (i32.add (local.get $out) (i32.mul (local.get $i) (i32.const 12))))
        (i32.store (local.get $p) (local.get $d1))
        (i32.store offset=4 (local.get $p) (local.get $d2))
        (i32.store offset=8 (local.get $p) (local.get $j1))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))))
