// The tool's version: reported by `hotspots --version` and the server's initialize answer, and part of cache keys.
export const VERSION = '0.1.0';
