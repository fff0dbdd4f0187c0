import type { ChildProcess } from 'node:child_process';
import type { Browser } from 'playwright-core';
export const CHROMIUM: string;
export function launchChromium(): Promise<Browser>;
export function startServe(extra?: string[]): Promise<{ url: string; origin: string; child: ChildProcess; stop(): Promise<void> }>;
