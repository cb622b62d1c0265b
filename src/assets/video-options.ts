/** What the videos API accepts; a tiny module because the command table imports it at startup. */
export const VIDEO_SECONDS = ['4', '8', '12'] as const;
export const VIDEO_SIZES = ['720x1280', '1280x720', '1024x1792', '1792x1024'] as const;
