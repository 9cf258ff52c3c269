#!/usr/bin/env python3
"""Derives the polynomial coefficients of Sources/PolicyGradient/Support/FastMath.swift by the
Remez exchange algorithm in 60-digit arithmetic (needs mpmath: pip install mpmath; ~1 minute).

  exp: e^r = 1 + r + r^2 Q(r), |r| <= ln2/2, Q of degree 9, minimising the relative error of e^r.
  log: log(1+f) = f - f^2/2 + s (f^2/2 + R(s^2)), s = f/(2+f), |s| <= 3 - 2 sqrt 2,
       R(z) = z G(z) ~ 2 artanh(sqrt z)/sqrt z - 2, G of degree 6, minimising the absolute error of R.
Prints each coefficient as a hexadecimal double literal (what FastMathConstants holds) and the
maximum error before rounding.
"""
import mpmath as mp

mp.mp.dps = 60


def remez(f, w, n, a, b, iters=30, grid=4000):
    """Minimax p of degree n for max |w (f - p)| on [a, b]: (coefficients low to high, max error)."""
    m = n + 2
    # Chebyshev-like start, nudged off the centre (both weights vanish at 0).
    xs = [(a + b) / 2 + (b - a) / 2 * mp.cos(mp.pi * (m - 1 - i + mp.mpf("0.3")) / (m - 1 + mp.mpf("0.5")))
          for i in range(m)]
    pts = [a + (b - a) * k / grid for k in range(grid + 1)]
    c = None
    for _ in range(iters):
        A = mp.matrix(m, m)
        y = mp.matrix(m, 1)
        for i, x in enumerate(xs):
            for j in range(n + 1):
                A[i, j] = x ** j
            A[i, n + 1] = (-1) ** i / w(x)
            y[i] = f(x)
        sol = mp.lu_solve(A, y)
        c = [sol[j] for j in range(n + 1)]

        def err(x):
            return w(x) * (f(x) - mp.polyval(c[::-1], x))
        vals = [err(x) for x in pts]
        ext = []
        for k, v in enumerate(vals):
            left = vals[k - 1] if k > 0 else -v
            right = vals[k + 1] if k < grid else -v
            if abs(v) >= abs(left) and abs(v) >= abs(right):
                if ext and mp.sign(ext[-1][1]) == mp.sign(v):
                    if abs(v) > abs(ext[-1][1]):
                        ext[-1] = (pts[k], v)
                else:
                    ext.append((pts[k], v))
        while len(ext) > m:
            ext.pop(0 if abs(ext[0][1]) < abs(ext[-1][1]) else -1)
        if len(ext) < m:
            break
        new = []
        for x, _ in ext:
            try:
                xr = mp.findroot(lambda t: mp.diff(err, t), x) if a < x < b else x
                new.append(xr if abs(xr - x) <= (b - a) / grid else x)
            except (ZeroDivisionError, ValueError):
                new.append(x)
        xs = new
    return c, max(abs(err(x)) for x in pts)


def show(name, first, coeffs, maxerr):
    print(f"{name}: max error {mp.nstr(maxerr, 5)} = 2^{mp.nstr(mp.log(maxerr, 2), 5)}")
    for k, x in enumerate(coeffs):
        print(f"  {first + k:2d}: {float(x).hex()}  ({float(x)!r})")


def main():
    ln2 = mp.log(2)
    c, e = remez(lambda r: mp.mpf(1) / 2 if r == 0 else (mp.exp(r) - 1 - r) / r ** 2,
                 lambda r: r ** 2 / mp.exp(r), 9, -ln2 / 2, ln2 / 2)
    show("exp Q (coefficients of r^0 .. r^9, FastMathConstants.e2 .. e11)", 2, c, e)
    smax = (mp.sqrt(2) - 1) / (mp.sqrt(2) + 1)
    g, e = remez(lambda z: mp.mpf(2) / 3 if z == 0 else (2 * mp.atanh(mp.sqrt(z)) / mp.sqrt(z) - 2) / z,
                 lambda z: z, 6, mp.mpf(0), smax ** 2)
    show("log G (coefficients of z^0 .. z^6, FastMathConstants.l1 .. l7)", 1, g, e)


if __name__ == "__main__":
    main()
