/**
 * Types of the Black-Scholes packages by Matt Loppatto (MIT, no dependencies; they ship none):
 * black-scholes (price), greeks (delta), implied-volatility (IV by bisection on black-scholes).
 * Units: s and k rupees, t years, v and r annualised fractions.
 */
declare module 'black-scholes' {
  export function blackScholes(s: number, k: number, t: number, v: number, r: number, callPut: 'call' | 'put'): number;
  export function stdNormCDF(x: number): number;
}

declare module 'greeks' {
  export function getDelta(s: number, k: number, t: number, v: number, r: number, callPut: 'call' | 'put'): number;
  export function getVega(s: number, k: number, t: number, v: number, r: number): number;
}

declare module 'implied-volatility' {
  export function getImpliedVolatility(
    expectedCost: number,
    s: number,
    k: number,
    t: number,
    r: number,
    callPut: 'call' | 'put',
    estimate?: number,
  ): number;
}
