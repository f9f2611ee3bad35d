// SPDX-License-Identifier: BSD-3-Clause
/** anisodrive's version, as in package.json. */
export const VERSION = '0.1.0';
