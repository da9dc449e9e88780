// GraphiQL for the Records API: the token chosen in the header bar goes with every request.
(function () {
  'use strict';
  var personaSelect = document.getElementById('persona');
  var tokenInput = document.getElementById('token');
  var note = document.getElementById('personas-note');

  // The demo personas with a fresh token each, offered only while the demo hospital is loaded.
  fetch('/graphiql/personas', { headers: { Accept: 'application/json' } })
    .then(function (response) { return response.ok ? response.json() : []; })
    .then(function (personas) {
      personas.forEach(function (p) {
        var option = document.createElement('option');
        option.value = p.token;
        option.textContent = p.id + ' (' + p.role + '): ' + p.shows;
        personaSelect.appendChild(option);
      });
      note.textContent = personas.length
        ? 'Demo personas: ' + personas.map(function (p) { return p.id + ' (' + p.role + ')'; }).join(', ') + '.'
        : 'The demo hospital is not loaded here, so no persona is offered: paste a token.';
    })
    .catch(function () { note.textContent = 'Could not list the demo personas: paste a token.'; });

  // A new token may see another schema (introspection needs a token too): mount GraphiQL afresh for it.
  personaSelect.addEventListener('change', function () { tokenInput.value = personaSelect.value; render(); });
  tokenInput.addEventListener('change', render);

  function fetcher(params, options) {
    var headers = { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json' };
    if (tokenInput.value.trim()) headers.Authorization = 'Bearer ' + tokenInput.value.trim();
    Object.assign(headers, (options && options.headers) || {});
    return fetch('/graphql', { method: 'POST', headers: headers, body: JSON.stringify(params) })
      .then(function (response) { return response.json(); });
  }

  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  function render() {
    root.render(React.createElement(GraphiQL, {
      key: tokenInput.value.trim(),
      fetcher: fetcher,
      defaultQuery: '# Choose a persona (or paste a token) above, then run:\n{\n  me { id role realNameVerified }\n}\n',
    }));
  }
  render();
})();
