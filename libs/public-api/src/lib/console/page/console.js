'use strict';

// The whole console: send the operation to /graphql on this origin and show the answer.
document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('operation');
  const result = document.getElementById('result');

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const query = form.elements.query.value;
    const variablesText = form.elements.variables.value.trim();
    const token = form.elements.token.value.trim();
    let variables;
    try {
      variables = variablesText === '' ? undefined : JSON.parse(variablesText);
    } catch (error) {
      result.textContent = `Variables are not valid JSON: ${error.message}`;
      return;
    }
    const headers = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
    if (token !== '') headers.authorization = `Bearer ${token}`;
    result.textContent = 'Running…';
    try {
      const response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      const text = await response.text();
      let shown = text;
      try {
        shown = JSON.stringify(JSON.parse(text), null, 2);
      } catch {
        // Not JSON: show it as it came.
      }
      result.textContent = `HTTP ${response.status}\n${shown}`;
    } catch (error) {
      result.textContent = `The request failed: ${error.message}`;
    }
  });
});
