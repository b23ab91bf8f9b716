/** `npm run bench`: every benchmark, each reporting ratios against a baseline from the same run. */
console.log('== engine ==');
await import('./engine.bench.ts');
console.log("== signature search (the aligned check's candidates) ==");
await import('./signatures.bench.ts');
console.log('== marketplace server (embedded store) ==');
await import('./server.bench.ts');
console.log('== money (embedded store) ==');
await import('./money.bench.ts');
console.log('== media (fingerprinting; 10 000-item index, BENCH_MEDIA_ITEMS) ==');
await import('./media.ts');
await import('./media-scale.ts');
