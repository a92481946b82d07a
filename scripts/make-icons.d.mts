export declare const LINUX_SIZES: number[];
export declare const ICO_SIZES: number[];
export declare function renderPng(svg: Buffer, size: number): Buffer;
export declare function makeIcons(svgFile: string, outDir: string): Promise<string[]>;
