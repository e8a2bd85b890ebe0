// cli-progress 3.12 ships no types (the coordinator may add @types/cli-progress instead): the part this CLI uses.
declare module "cli-progress" {
  export type Preset = { format: string; barCompleteChar: string; barIncompleteChar: string };
  export const Presets: { shades_classic: Preset; legacy: Preset; rect: Preset };
  export class SingleBar {
    constructor(options: { format?: string; hideCursor?: boolean }, preset?: Preset);
    start(total: number, start: number, payload?: Record<string, unknown>): void;
    update(value: number, payload?: Record<string, unknown>): void;
    stop(): void;
  }
}
