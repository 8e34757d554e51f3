// The vendored libraries are classic scripts (UMD builds, no bundler, no Node.js): this module
// is the one place that reads their globals, so the rest of the console imports names.
const { h, render, Fragment, createContext } = window.preact;

export const html = window.htm.bind(h);
export const { useState, useEffect, useRef, useMemo, useCallback, useContext } =
  window.preactHooks;
export const uPlot = window.uPlot;
export { h, render, Fragment, createContext };
