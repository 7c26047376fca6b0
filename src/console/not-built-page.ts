/** The page /console/ shows when the console has not been built: what happened and how to fix it (unstyled: the console's content policy allows no inline style). */
export const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Parley console not built</title></head>
<body>
<main>
<h1>The console has not been built</h1>
<p>Parley is running, and its API answers, but the web console's files are missing (<code>dist/console-app/</code>).</p>
<p>Build it with <code>npm run build</code> (or start Parley with <code>npm start</code>, which builds what is stale), then reload this page.</p>
</main>
</body>
</html>
`;
