// `npm run icons`: every icon each platform needs, drawn from the one assets/icon.svg.
//   build/icon.png          1024×1024 (macOS: electron-builder makes the .icns from it)
//   build/icon.ico          16, 24, 32, 48, 64, 128, 256 (Windows app, installer, .eml files)
//   build/icons/NxN.png     16 … 1024 (Linux: AppImage and deb install them as hicolor icons)
//   build/tray.png, build/tray@2x.png   the tray/menu bar icon (16 and 32 px)
// resvg renders the SVG exactly (no browser, no native build); png-to-ico packs the .ico.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import pngToIco from 'png-to-ico';

export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

export function renderPng(svg, size) {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng();
}

export async function makeIcons(svgFile, outDir) {
  const svg = readFileSync(svgFile);
  mkdirSync(path.join(outDir, 'icons'), { recursive: true });
  const written = [];
  const write = (name, bytes) => {
    writeFileSync(path.join(outDir, name), bytes);
    written.push(name);
  };
  for (const size of LINUX_SIZES) write(path.join('icons', `${size}x${size}.png`), renderPng(svg, size));
  write('icon.png', renderPng(svg, 1024));
  write('icon.ico', await pngToIco(ICO_SIZES.map((size) => renderPng(svg, size))));
  write('tray.png', renderPng(svg, 16));
  write('tray@2x.png', renderPng(svg, 32));
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const written = await makeIcons(path.join(root, 'assets', 'icon.svg'), path.join(root, 'build'));
  console.log(`Icons written to build/: ${written.length} files from assets/icon.svg.`);
}
