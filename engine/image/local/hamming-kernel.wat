;; The two nearest library descriptors of each query descriptor within its vocabulary node: the hot
;; loop of putative matching (putative.ts matchGrouped), in WebAssembly. A 256-bit ORB descriptor is
;; four 64-bit words; i64.popcnt is one machine instruction on x86-64 and ARM64, and on this
;; project's machines it beat the 128-bit SIMD form (i8x16.popcnt is a table lookup on x86) by 1.3×;
;; the library's descriptors come in node order (read one after the other, no index to chase) and
;; the running best two are kept with `select` (no branch to mispredict): 2.4× the SIMD loop in all
;; (README, Benchmarks: "… a faster putative-matching kernel", session 32).
;; Source of hamming-wasm.ts, which `npm run build:wasm` (scripts/build-wasm.ts) writes from this
;; file with wabt; tests/unit/hamming-wasm.test.ts checks that the committed bytes are this file's.
;;
;; best2(q, node, nq, base, lib, order, start, span, out), every argument a byte offset or a count:
;;   q      nq query descriptors, 32 bytes each
;;   node   nq u32: each query descriptor's vocabulary node
;;   base   the library grouping's smallest node id; group b = node − base (skipped unless 0 ≤ b < span)
;;   lib    library descriptors in node order, 32 bytes each: the s-th is keypoint order[s]'s
;;   order  u32 library keypoint indices sorted by node; group b is positions start[b] .. start[b + 1]
;;   start  span + 1 u32
;;   out    nq × 3 i32: smallest distance, second smallest, library index of the smallest
;;          (257, 257, −1 when the group is empty; ties keep the first in order)
(module
  (memory (export "memory") 1)
  (func (export "best2")
    (param $q i32) (param $node i32) (param $nq i32) (param $base i32)
    (param $lib i32) (param $order i32) (param $start i32) (param $span i32) (param $out i32)
    (local $i i32) (local $b i32) (local $s i32) (local $to i32) (local $p i32)
    (local $d i32) (local $d1 i32) (local $d2 i32) (local $s1 i32) (local $lt i32)
    (local $w0 i64) (local $w1 i64) (local $w2 i64) (local $w3 i64)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $nq)))
        (local.set $d1 (i32.const 257))
        (local.set $d2 (i32.const 257))
        (local.set $s1 (i32.const -1))
        (local.set $b
          (i32.sub (i32.load (i32.add (local.get $node) (i32.shl (local.get $i) (i32.const 2)))) (local.get $base)))
        (if (i32.lt_u (local.get $b) (local.get $span))
          (then
            (local.set $s (i32.load (i32.add (local.get $start) (i32.shl (local.get $b) (i32.const 2)))))
            (local.set $to (i32.load (i32.add (local.get $start) (i32.shl (i32.add (local.get $b) (i32.const 1)) (i32.const 2)))))
            (local.set $p (i32.add (local.get $q) (i32.shl (local.get $i) (i32.const 5))))
            (local.set $w0 (i64.load (local.get $p)))
            (local.set $w1 (i64.load offset=8 (local.get $p)))
            (local.set $w2 (i64.load offset=16 (local.get $p)))
            (local.set $w3 (i64.load offset=24 (local.get $p)))
            (local.set $p (i32.add (local.get $lib) (i32.shl (local.get $s) (i32.const 5))))
            (block $end
              (loop $scan
                (br_if $end (i32.ge_u (local.get $s) (local.get $to)))
                (local.set $d
                  (i32.wrap_i64
                    (i64.add
                      (i64.add
                        (i64.popcnt (i64.xor (local.get $w0) (i64.load (local.get $p))))
                        (i64.popcnt (i64.xor (local.get $w1) (i64.load offset=8 (local.get $p)))))
                      (i64.add
                        (i64.popcnt (i64.xor (local.get $w2) (i64.load offset=16 (local.get $p))))
                        (i64.popcnt (i64.xor (local.get $w3) (i64.load offset=24 (local.get $p))))))))
                ;; d < d1: (d1, d2) ← (d, d1) and this position is the best; else d < d2: d2 ← d.
                (local.set $lt (i32.lt_u (local.get $d) (local.get $d1)))
                (local.set $d2
                  (select
                    (local.get $d1)
                    (select (local.get $d) (local.get $d2) (i32.lt_u (local.get $d) (local.get $d2)))
                    (local.get $lt)))
                (local.set $s1 (select (local.get $s) (local.get $s1) (local.get $lt)))
                (local.set $d1 (select (local.get $d) (local.get $d1) (local.get $lt)))
                (local.set $p (i32.add (local.get $p) (i32.const 32)))
                (local.set $s (i32.add (local.get $s) (i32.const 1)))
                (br $scan)))))
        (local.set $p (i32.add (local.get $out) (i32.mul (local.get $i) (i32.const 12))))
        (i32.store (local.get $p) (local.get $d1))
        (i32.store offset=4 (local.get $p) (local.get $d2))
        ;; The best position back to its library keypoint.
        (i32.store offset=8 (local.get $p)
          (if (result i32) (i32.lt_s (local.get $s1) (i32.const 0))
            (then (i32.const -1))
            (else (i32.load (i32.add (local.get $order) (i32.shl (local.get $s1) (i32.const 2)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))))
