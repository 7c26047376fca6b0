import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ErrorNotice } from '../error-notice.js';
import { useSignIn } from '../session.js';

export function SignInPage() {
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ email, password });
  };

  return (
    <main className="sign-in">
      <h1 ref={heading} tabIndex={-1}>Sign in to Parley</h1>
      <form onSubmit={submit} aria-describedby="sign-in-help">
        <p id="sign-in-help" className="muted">
          Use the email and password of your Parley user. On a first <code>npm start</code> Parley prints the demo admin&apos;s; <code>parley users create</code> adds people.
        </p>
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        {signIn.error ? <ErrorNotice error={signIn.error} /> : null}
        <button type="submit" disabled={signIn.isPending}>{signIn.isPending ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
