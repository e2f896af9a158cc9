/** localStorage key of the user's explicit theme choice; absent means "follow the system". */
export const THEME_STORAGE_KEY = 'umpire-theme';

/**
 * Runs in <head> before the first paint: applies a stored choice so the page never flashes the wrong theme.
 * Without a stored choice the stylesheet follows prefers-color-scheme on its own.
 */
export const THEME_SCRIPT = `(function(){try{var t=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});if(t==="light"||t==="dark")document.documentElement.setAttribute("data-theme",t)}catch(e){}})()`;
