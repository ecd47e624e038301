/** The URL without its password, for messages. */
export const redactedRedisUrl = (url: string): string => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
