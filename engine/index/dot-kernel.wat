;; Dot products of one query signature with every stored signature: the scan behind the signature
;; index (engine/index/signatures.ts), in WebAssembly SIMD. A shape signature is 144 int8 values
;; (engine/image/perceptual.ts shapeSignature), nine 16-byte chunks; each chunk is widened to two
;; i16x8 halves and multiplied with the query's halves by i32x4.dot_i16x8_s (pairwise products
;; summed, 8 per instruction). The query comes already widened to int16 (32 bytes per chunk) so
;; only the stored side is widened per row. Products of int8 values fit easily in i32.
;; Source of dot-wasm.ts, which `npm run build:wasm` (scripts/build-wasm.ts) writes from this file
;; with wabt; tests/unit/hamming-wasm.test.ts checks that the committed bytes are this file's.
;;
;; dots(q, lib, n, chunks, out), every argument a byte offset or a count:
;;   q       the query: chunks × 16 int16 values (chunks × 32 bytes)
;;   lib     n stored rows one after the other, chunks × 16 int8 values each
;;   out     n i32: out[j] = Σ q[d] · lib[j][d]
(module
  (memory (export "memory") 1)
  (func (export "dots")
    (param $q i32) (param $lib i32) (param $n i32) (param $chunks i32) (param $out i32)
    (local $j i32) (local $c i32) (local $p i32) (local $qp i32) (local $acc v128) (local $b v128)
    (local.set $p (local.get $lib))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $c (i32.const 0))
        (local.set $qp (local.get $q))
        (block $rowdone
          (loop $chunk
            (br_if $rowdone (i32.ge_u (local.get $c) (local.get $chunks)))
            (local.set $b (v128.load (local.get $p)))
            (local.set $acc
              (i32x4.add (local.get $acc)
                (i32x4.dot_i16x8_s (v128.load (local.get $qp)) (i16x8.extend_low_i8x16_s (local.get $b)))))
            (local.set $acc
              (i32x4.add (local.get $acc)
                (i32x4.dot_i16x8_s (v128.load offset=16 (local.get $qp)) (i16x8.extend_high_i8x16_s (local.get $b)))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $qp (i32.add (local.get $qp) (i32.const 32)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $chunk)))
        (i32.store
          (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2)))
          (i32.add
            (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
            (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $row)))))
