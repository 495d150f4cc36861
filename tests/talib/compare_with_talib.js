#!/usr/bin/env node
// Compares the CSV written by `cephalo indicators` with the real TA-Lib C library, called through
// the npm package `talib` (a Node binding that compiles TA-Lib's own C sources; see
// run_talib_comparison.sh for how it is built here).
//
// Usage: node compare_with_talib.js --data CANDLES.csv --cephalo INDICATORS.csv
//                                   [--talib PATH_TO_node_modules/talib] [--show N]
//                                   [--allow CAUSE,...]   (causes listed below; default none)
//
// Every column of the cephalo file (except timestamp) is mapped from its name to one TA-Lib call:
//   sma_N, ema_N, wma_N, rsi_N, roc_N              SMA/EMA/WMA/RSI/ROC(close, N)
//   atr_N, adx_N, cci_N, willr_N                   ATR/ADX/CCI/WILLR(high, low, close, N)
//   mfi_N                                          MFI(high, low, close, volume, N)
//   obv                                            OBV(close, volume)
//   macd[_signal|_hist]_F_S_G                      MACD(close, F, S, G)   (not MACDEXT)
//   bb_{upper,middle,lower}_P_K                    BBANDS(close, P, K, K, MAType 0 = SMA)
//   stoch_{k,d}_F_K_D                              STOCH(h, l, c, F, K, SMA, D, SMA)
// TA-Lib's output starts at begIndex and has nbElement values; rows before begIndex must be
// empty in cephalo's file (the warm-up), rows from begIndex on must hold a number.
//
// A cell passes when both are empty, or both are numbers with |a - b| <= 1e-9 * max(|a|, |b|).
// Columns whose values cross or sit at zero use 1e-9 * max(|a|, |b|, scale) instead, scale being
// the column's largest |TA-Lib value|: a relative error is meaningless where the value itself
// passes through zero. Those are obv, macd, macd_signal, macd_hist, cci, roc, willr, and the
// 0..100 oscillators rsi, stoch_k, stoch_d, adx, mfi, which sit at exactly 0 for whole stretches
// where TA-Lib's add-then-subtract running sums leave a residue of about 1e-13 of either sign
// (TA-Lib's STOCH %K prints -3.9e-14 where cephalo prints 0). Everything else (the moving
// averages, the bands, atr) is purely relative.
//
// Each mismatching cell is also given a probable cause, to help reading the report (it never
// turns a mismatch into a pass unless --allow names that cause):
//   bbands-epsilon  TA-Lib's upper == middle == lower: it zeroed a variance below its absolute
//                   TA_EPSILON (1e-14, in price units squared), cephalo did not
//   bbands-cancellation  the two variances (from (band - middle) / k) differ by at most
//                   1e-13 * middle^2: TA-Lib's variance is the running sum of x^2 / N minus
//                   middle^2, which loses every digit below ~1e-16 * middle^2 (and its running
//                   sum drifts), so a variance that small relative to the price is mostly noise
//   mfi-deadzone    the MFI window holds a bar whose typical price moved by a nonzero amount
//                   within 1e-14 * (|TP| + |previous TP|): current upstream TA-Lib counts it as
//                   no flow (its issue #107), older TA-Lib as a positive/negative flow
//   mfi-under-one   TA-Lib printed 0 because positive + negative flow < 1.0 (older TA-Lib's
//                   absolute threshold, dropped upstream: its issue #244)
//   sum-residue     TA-Lib's value is outside [0, 100] or within 1e-12 of 0 / 100 while
//                   cephalo's is exactly 0 or 100: TA-Lib's running-sum residue
//   (none)          no known cause
//
// Prints, per column, the number of mismatching cells, the worst error (relative to the bound's
// denominator) and the first mismatching rows; exits 1 on any mismatch, including a different
// first non-empty row (warm-up), a different row count or a different timestamp.
'use strict';

const fs = require('fs');
const path = require('path');

const TOLERANCE = 1e-9;
const SCALED_KINDS = new Set(['obv', 'macd', 'macd_signal', 'macd_hist', 'cci', 'roc', 'willr',
                              'rsi', 'stoch_k', 'stoch_d', 'adx', 'mfi']);
const TA_EPSILON = 1e-14;  // TA-Lib's TA_EPSILON (ta_utility.h), used to explain differences

const CAUSES = ['bbands-epsilon', 'bbands-cancellation', 'mfi-deadzone', 'mfi-under-one',
                'sum-residue'];

function parseArgs(argv) {
  const args = { show: 5, talib: null, allow: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`missing value after ${a}`);
      return argv[++i];
    };
    if (a === '--data') args.data = next();
    else if (a === '--cephalo') args.cephalo = next();
    else if (a === '--talib') args.talib = next();
    else if (a === '--show') args.show = parseInt(next(), 10);
    else if (a === '--allow') {
      for (const c of next().split(',').filter(Boolean)) {
        if (!CAUSES.includes(c)) throw new Error(`--allow: unknown cause '${c}'`);
        args.allow.add(c);
      }
    }
    else throw new Error(`unknown argument ${a}`);
  }
  if (!args.data || !args.cephalo) {
    throw new Error('usage: compare_with_talib.js --data CANDLES.csv --cephalo INDICATORS.csv ' +
                    '[--talib DIR] [--show N] [--allow CAUSE,...]');
  }
  return args;
}

function readCsv(file) {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  const header = lines[0].split(',');
  const rows = lines.slice(1).map((l) => l.split(','));
  for (const [i, r] of rows.entries()) {
    if (r.length !== header.length) {
      throw new Error(`${file}: line ${i + 2} has ${r.length} fields, header has ${header.length}`);
    }
  }
  return { header, rows };
}

function readCandles(file) {
  const { header, rows } = readCsv(file);
  const col = (name) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${file}: no column ${name}`);
    return rows.map((r) => {
      const v = Number(r[i]);  // correctly rounded, as strtod / std::from_chars
      if (!Number.isFinite(v)) throw new Error(`${file}: bad ${name} value '${r[i]}'`);
      return v;
    });
  };
  return {
    timestamp: rows.map((r) => r[header.indexOf('timestamp')]),
    open: col('open'), high: col('high'), low: col('low'), close: col('close'),
    volume: col('volume'),
  };
}

// Column name -> { key: cache key of the TA-Lib call, call: params, output: TA-Lib output name,
// kind: indicator kind used to choose the tolerance }.
function mapColumn(name) {
  let m;
  const intArg = (s) => parseInt(s, 10);
  if ((m = /^(sma|ema|wma|rsi|roc)_(\d+)$/.exec(name))) {
    const fn = m[1].toUpperCase();
    return { kind: m[1], key: `${fn}:${m[2]}`, output: 'outReal',
             call: { name: fn, inputs: ['inReal'], optInTimePeriod: intArg(m[2]) } };
  }
  if ((m = /^(atr|adx|cci|willr)_(\d+)$/.exec(name))) {
    const fn = m[1].toUpperCase();
    return { kind: m[1], key: `${fn}:${m[2]}`, output: 'outReal',
             call: { name: fn, inputs: ['high', 'low', 'close'], optInTimePeriod: intArg(m[2]) } };
  }
  if ((m = /^mfi_(\d+)$/.exec(name))) {
    return { kind: 'mfi', key: `MFI:${m[1]}`, output: 'outReal',
             call: { name: 'MFI', inputs: ['high', 'low', 'close', 'volume'],
                     optInTimePeriod: intArg(m[1]) } };
  }
  if (name === 'obv') {
    return { kind: 'obv', key: 'OBV', output: 'outReal',
             call: { name: 'OBV', inputs: ['inReal', 'volume'] } };
  }
  if ((m = /^macd(_signal|_hist)?_(\d+)_(\d+)_(\d+)$/.exec(name))) {
    const output = { undefined: 'outMACD', _signal: 'outMACDSignal', _hist: 'outMACDHist' }[m[1]];
    return { kind: 'macd' + (m[1] || ''), key: `MACD:${m[2]}:${m[3]}:${m[4]}`, output,
             call: { name: 'MACD', inputs: ['inReal'], optInFastPeriod: intArg(m[2]),
                     optInSlowPeriod: intArg(m[3]), optInSignalPeriod: intArg(m[4]) } };
  }
  if ((m = /^bb_(upper|middle|lower)_(\d+)_([0-9.]+)$/.exec(name))) {
    const output = { upper: 'outRealUpperBand', middle: 'outRealMiddleBand',
                     lower: 'outRealLowerBand' }[m[1]];
    const k = Number(m[3]);
    return { kind: 'bb_' + m[1], key: `BBANDS:${m[2]}:${m[3]}`, output,
             call: { name: 'BBANDS', inputs: ['inReal'], optInTimePeriod: intArg(m[2]),
                     optInNbDevUp: k, optInNbDevDn: k, optInMAType: 0 } };
  }
  if ((m = /^stoch_(k|d)_(\d+)_(\d+)_(\d+)$/.exec(name))) {
    return { kind: 'stoch_' + m[1], key: `STOCH:${m[2]}:${m[3]}:${m[4]}`,
             output: m[1] === 'k' ? 'outSlowK' : 'outSlowD',
             call: { name: 'STOCH', inputs: ['high', 'low', 'close'],
                     optInFastK_Period: intArg(m[2]), optInSlowK_Period: intArg(m[3]),
                     optInSlowK_MAType: 0, optInSlowD_Period: intArg(m[4]),
                     optInSlowD_MAType: 0 } };
  }
  throw new Error(`don't know which TA-Lib function gives column '${name}'`);
}

function runTalib(talib, spec, candles) {
  const n = candles.close.length;
  const params = { name: spec.name, startIdx: 0, endIdx: n - 1 };
  for (const input of spec.inputs) {
    if (input === 'inReal') params.inReal = candles.close;
    else params[input] = candles[input];
  }
  for (const [k, v] of Object.entries(spec)) {
    if (k.startsWith('optIn')) params[k] = v;
  }
  const r = talib.execute(params);
  if (!r || r.error || !r.result) {
    throw new Error(`TA-Lib ${spec.name} failed: ${JSON.stringify(r && (r.error || r))}`);
  }
  return r;
}

// Bars whose typical-price move is nonzero but inside upstream TA-Lib's scaled dead-zone, as a
// prefix count, so "does this MFI window hold one" is O(1).
function deadzonePrefix(candles) {
  const n = candles.close.length;
  const prefix = new Array(n + 1).fill(0);
  let prev = 0;
  for (let j = 0; j < n; j++) {
    const tp = (candles.high[j] + candles.low[j] + candles.close[j]) / 3.0;
    const d = tp - prev;
    const dz = j > 0 && d !== 0 && Math.abs(d) <= TA_EPSILON * (Math.abs(tp) + Math.abs(prev)) &&
               candles.volume[j] !== 0;
    prefix[j + 1] = prefix[j] + (dz ? 1 : 0);
    prev = tp;
  }
  return prefix;
}

function causeOf(col, i, a, t, ctx) {
  if (a === null || t === null || !Number.isFinite(a) || !Number.isFinite(t)) return '(none)';
  if (col.kind === 'bb_upper' || col.kind === 'bb_lower') {
    const r = ctx.talibResult;
    const k = i - r.begIndex;
    if (r.result.outRealUpperBand[k] === r.result.outRealMiddleBand[k] &&
        r.result.outRealLowerBand[k] === r.result.outRealMiddleBand[k]) return 'bbands-epsilon';
    const mid = r.result.outRealMiddleBand[k];
    const kDev = col.call.optInNbDevUp;
    const varT = ((t - mid) / kDev) ** 2;
    const varC = ((a - mid) / kDev) ** 2;
    if (Math.abs(varT - varC) <= 1e-13 * mid * mid) return 'bbands-cancellation';
  }
  if (['rsi', 'stoch_k', 'stoch_d', 'adx', 'mfi'].includes(col.kind) && (a === 0 || a === 100) &&
      (t < 0 || t > 100 || Math.abs(t - a) <= 1e-12)) return 'sum-residue';
  if (col.kind === 'mfi') {
    const period = col.call.optInTimePeriod;
    if (t === 0 && a !== 0) return 'mfi-under-one';
    const lo = Math.max(0, i - period + 1);
    if (ctx.deadzone()[i + 1] - ctx.deadzone()[lo] > 0) return 'mfi-deadzone';
  }
  return '(none)';
}

function fmt(v) {
  return typeof v === 'number' ? v.toPrecision(17) : `'${v}'`;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const talibDir = args.talib || process.env.TALIB_MODULE || 'talib';
  const talib = require(talibDir.startsWith('.') || path.isAbsolute(talibDir)
    ? path.resolve(talibDir) : talibDir);

  const candles = readCandles(args.data);
  const ceph = readCsv(args.cephalo);
  const label = path.basename(args.data);
  const n = candles.close.length;
  let failures = 0;
  const problems = [];

  if (ceph.rows.length !== n) {
    problems.push(`row count: cephalo ${ceph.rows.length}, data ${n}`);
  }
  if (ceph.header[0] !== 'timestamp') problems.push(`first column is '${ceph.header[0]}'`);
  const rows = Math.min(n, ceph.rows.length);
  for (let i = 0; i < rows; i++) {
    if (ceph.rows[i][0] !== candles.timestamp[i]) {
      problems.push(`timestamp row ${i}: cephalo ${ceph.rows[i][0]}, data ${candles.timestamp[i]}`);
      break;
    }
  }

  const cache = new Map();
  const report = [];
  let deadzone = null;
  const getDeadzone = () => (deadzone || (deadzone = deadzonePrefix(candles)));
  for (let c = 1; c < ceph.header.length; c++) {
    const name = ceph.header[c];
    const col = mapColumn(name);
    if (!cache.has(col.key)) cache.set(col.key, runTalib(talib, col.call, candles));
    const r = cache.get(col.key);
    const out = r.result[col.output];
    if (!out) throw new Error(`TA-Lib ${col.call.name} has no output ${col.output}`);
    const beg = r.begIndex;
    const nb = r.nbElement;
    const talibAt = (i) => (i >= beg && i < beg + nb ? out[i - beg] : null);

    const scaled = SCALED_KINDS.has(col.kind);
    let scale = 0;
    if (scaled) for (let j = 0; j < nb; j++) scale = Math.max(scale, Math.abs(out[j]));

    let mismatches = 0;
    let allowed = 0;
    const causes = new Map();
    let worst = 0;
    let worstRow = -1;
    const first = [];
    let cephFirst = -1;
    for (let i = 0; i < rows; i++) {
      const cell = ceph.rows[i][c];
      if (cephFirst < 0 && cell !== '') cephFirst = i;
      const t = talibAt(i);
      let bad = false;
      let err = 0;
      if (cell === '' || t === null) {
        bad = !(cell === '' && t === null);
        err = bad ? Infinity : 0;
      } else {
        const a = Number(cell);
        if (!Number.isFinite(a) || !Number.isFinite(t)) {
          bad = !(Object.is(a, t) || (Number.isNaN(a) && Number.isNaN(t)));
          err = bad ? Infinity : 0;
        } else {
          const denom = Math.max(Math.abs(a), Math.abs(t), scaled ? scale : 0);
          const diff = Math.abs(a - t);
          err = diff === 0 ? 0 : diff / denom;
          bad = diff > TOLERANCE * denom;
        }
      }
      if (err > worst || (worstRow < 0 && err > 0)) { worst = err; worstRow = i; }
      if (bad) {
        const cause = causeOf(col, i, cell === '' ? null : Number(cell), t,
                              { talibResult: r, deadzone: getDeadzone });
        causes.set(cause, (causes.get(cause) || 0) + 1);
        if (args.allow.has(cause)) allowed++;
        else mismatches++;
        if (first.length < args.show) {
          first.push(`row ${i} (ts ${ceph.rows[i][0]}): cephalo ${cell === '' ? 'empty' : cell}` +
                     `, TA-Lib ${t === null ? 'empty' : fmt(t)}, rel ${err.toExponential(3)}` +
                     `, cause ${cause}${args.allow.has(cause) ? ' (allowed)' : ''}`);
        }
      }
    }
    const talibFirst = nb > 0 ? beg : -1;
    const warmupOk = cephFirst === talibFirst;
    const ok = mismatches === 0 && warmupOk;
    if (!ok) failures++;
    report.push({ name, ok, mismatches, allowed, causes, worst, worstRow, first, cephFirst,
                  talibFirst, scaled, scale });
  }

  const version = talib.version || '?';
  console.log(`== ${label}: ${n} rows, ${ceph.header.length - 1} columns, node talib ${version}`);
  for (const p of problems) console.log(`FAIL ${label}: ${p}`);
  for (const r of report) {
    const tol = r.scaled ? `scaled, scale ${r.scale.toPrecision(6)}` : 'relative';
    const head = `${r.ok ? 'ok  ' : 'FAIL'} ${label} ${r.name.padEnd(22)} ` +
                 `mismatches ${String(r.mismatches).padStart(5)}  worst ${r.worst.toExponential(2)}` +
                 (r.worstRow >= 0 ? ` @row ${r.worstRow}` : '') + `  warm-up ${r.cephFirst}` +
                 (r.cephFirst === r.talibFirst ? '' : ` (TA-Lib ${r.talibFirst})`) + `  [${tol}]`;
    console.log(head);
    if (r.causes.size) {
      const list = [...r.causes].map(([c, k]) => `${c} ${k}`).join(', ');
      console.log(`       differing cells by cause: ${list}` +
                  (r.allowed ? ` (${r.allowed} allowed by --allow)` : ''));
    }
    for (const line of r.first) console.log(`       ${line}`);
  }
  const bad = failures + problems.length;
  console.log(`== ${label}: ${bad === 0 ? 'all columns match' : `${failures} column(s) differ`}` +
              (problems.length ? `, ${problems.length} structural problem(s)` : ''));
  process.exit(bad === 0 ? 0 : 1);
}

try {
  main();
} catch (e) {
  console.error(`compare_with_talib.js: ${e.message}`);
  process.exit(2);
}
