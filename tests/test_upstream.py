"""The contracts of motives/upstream.py: what each patch relies on inside Voilà, Jupyter Server,
Tornado, ipykernel and ipywidgets is still there. A release that changes it fails here, naming the
patch, before a room finds out (these run in make check and, on the lowest releases the app allows,
in make test-lowest). What each patch does for the app is tested through a real server elsewhere
(tests/ui/test_hardening.py, test_start.py, test_hostile.py)."""

from __future__ import annotations

import inspect
import logging
import re
import textwrap

import pytest

from motives import upstream


def source(function) -> str:
    """A function's code without its logging, its comments and its layout."""
    text = textwrap.dedent(inspect.getsource(function))
    lines = [line.split("#")[0].strip() for line in text.splitlines()]
    code = " ".join(line for line in lines if line and not line.startswith("self.log."))
    return re.sub(r"\s+", " ", re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", code)))


def test_swap_handlers_finds_voilas_handlers_in_its_table():
    from jupyter_server.services.kernels.handlers import KernelHandler
    from voila.app import Voila
    from voila.request_info_handler import RequestInfoSocketHandler
    from voila.static_file_handler import TemplateStaticFileHandler
    from voila.tornado.contentshandler import VoilaContentsHandler
    from voila.tornado.handler import TornadoVoilaHandler
    from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
    from voila.tornado.treehandler import TornadoVoilaTreeHandler

    table = source(Voila.init_handlers)
    for handler in (
        TornadoVoilaTreeHandler,
        VoilaContentsHandler,
        TemplateStaticFileHandler,
        TornadoVoilaHandler,
        VoilaKernelWebsocketHandler,
        KernelHandler,
        RequestInfoSocketHandler,
    ):
        assert handler.__name__ in table, f"upstream.swap_handlers: Voilà's table no longer names {handler.__name__}"


def test_pass_to_kernel_rides_on_voilas_http_header_envs():
    from voila.configuration import VoilaConfiguration
    from voila.handler import VoilaHandler

    assert "http_header_envs" in VoilaConfiguration.class_trait_names(), "upstream.pass_to_kernel: the option is gone"
    assert re.search(
        r"for header_name in self\.request\.headers: .* env_name = f'HTTP_\{header_name\.upper\(\)\.replace\(\"-\", \"_\"\)\}'",
        source(VoilaHandler),
    ), "upstream.pass_to_kernel: Voilà no longer copies the request's headers into the kernel's environment"


def test_reading_xsrf_token_sets_the_cookie():
    import tornado.web

    assert "self.set_cookie(" in source(tornado.web.RequestHandler.xsrf_token.fget), (
        "upstream.set_xsrf_cookie: Tornado's xsrf_token no longer sets the _xsrf cookie"
    )


def test_an_http1_connection_keeps_its_stream():
    from tornado.http1connection import HTTP1ServerConnection

    assert "self.stream = stream" in source(HTTP1ServerConnection.__init__), "upstream.connection_closed"
    from tornado.http1connection import HTTP1Connection

    assert "self.stream = stream" in source(HTTP1Connection.__init__), "upstream.connection_closed"


def test_every_log_record_passes_through_the_redaction(caplog):
    seen = []
    before = logging.getLogRecordFactory()
    try:
        upstream.redact_every_record(lambda record: seen.append(record.getMessage()) or record)
        logging.getLogger("motives.test").warning("trainer key %s", "ABC")
        upstream.redact_every_record(lambda record: record)  # once per process: the second is a no-op
        logging.getLogger("motives.test").warning("again")
    finally:
        logging.setLogRecordFactory(before)
    assert seen == ["trainer key ABC", "again"], "upstream.redact_every_record"


def test_the_comm_manager_keeps_its_targets_in_a_table():
    from comm.base_comm import CommManager

    manager = CommManager()
    manager.register_target("jupyter.widget", lambda comm, msg: None)
    upstream.refuse_comm_target(manager, "jupyter.widget")
    assert manager.targets == {}, "upstream.refuse_comm_target: CommManager.targets is no longer where targets are"


def test_ipywidgets_answers_a_state_request_with_its_private_handler():
    import ipywidgets as w

    assert list(inspect.signature(w.Widget._handle_control_comm_msg).parameters) == ["msg"], (
        "upstream.answer_state_request: ipywidgets' handler of request_states changed"
    )
    assert "request_states" in source(w.Widget._handle_control_comm_msg), "upstream.answer_state_request"


def test_ipykernel_dispatches_comm_messages_through_its_shell_handlers():
    from ipykernel.ipkernel import IPythonKernel

    body = source(IPythonKernel.__init__)
    assert 'comm_msg_types = ["comm_open", "comm_msg", "comm_close"]' in body, "upstream.guard_comm_messages"
    assert "self.shell_handlers[msg_type] = getattr(self.comm_manager, msg_type)" in body, (
        "upstream.guard_comm_messages: ipykernel no longer hands comm messages to the comm manager in shell_handlers"
    )


def warm_kernel_manager() -> type:
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    return voila_kernel_manager_factory(AsyncMappingKernelManager, True, 0)


def test_pooled_kernels_reads_voilas_pools_of_tasks_that_name_their_kernel():
    manager = warm_kernel_manager()
    assert "self._pools: TypeDict[str, List[TypeDict]] = {}" in source(manager.__init__), (
        "upstream.pooled_kernels: Voilà keeps its warm kernels elsewhere"
    )
    assert '"kernel_id": kernel_id' in source(manager._initialize), (
        "upstream.pooled_kernels: a pool's task says no kernel id"
    )
    assert "pool_item = self._pools[notebook_name].pop(0)" in source(manager.get_rendered_notebook)


def test_warm_more_fills_to_the_size_configured_at_the_call_and_voila_refills_by_that_size_only():
    manager = warm_kernel_manager()
    fill = source(manager.fill_if_needed)
    assert "notebook_config: dict = self.kernel_pools_config.get(notebook_name, default_config)" in fill, (
        "upstream.warm_more: Voilà no longer reads the pool's size from kernel_pools_config when it fills"
    )
    assert "for _ in range(kernel_size - len(pool)):" in fill, "upstream.warm_more: Voilà fills the pool otherwise"
    # The only refill Voilà starts by itself: after a page took a kernel, by the configured size (0 between two calls).
    assert "self.fill_if_needed(delay=None, notebook_name=notebook_name," in source(manager.get_rendered_notebook)
    assert "fill_delay" in manager.class_trait_names()


def voilas_send_updates():
    """Voilà's own ``send_updates``, whether or not a server in this process has patched it."""
    from voila.request_info_handler import RequestInfoSocketHandler

    return (
        RequestInfoSocketHandler.__dict__.get("_motives_send_updates")
        or RequestInfoSocketHandler.__dict__["send_updates"]
    )


def test_claim_from_pool_sees_every_request_voila_hands_a_warm_kernel_before_it_is_sent_or_kept():
    from voila.handler import VoilaHandler

    assert 'RequestInfoSocketHandler.send_updates({"kernel_id": kernel_id, "payload": request_info})' in source(
        VoilaHandler.get_generator
    ), "upstream.claim_from_pool: Voilà hands a warm kernel its request another way"
    assert isinstance(voilas_send_updates(), classmethod)
    # What the patched send_updates does: the payload as claimed() made it, written or kept.
    handler = type("Handler", (), {"_waiters": {}, "_cache": {}})
    handler.send_updates = classmethod(voilas_send_updates().__func__)
    upstream.claim_from_pool(handler, lambda kernel_id, request: {"claimed": kernel_id, **request})
    handler.send_updates({"kernel_id": "k1", "payload": {"QUERY_STRING": "session=ABC"}})
    assert handler._cache == {"k1": {"claimed": "k1", "QUERY_STRING": "session=ABC"}}


def test_request_socket_keeps_one_socket_per_kernel_and_forgets_what_it_sent():
    from voila.request_info_handler import RequestInfoSocketHandler

    opened = source(RequestInfoSocketHandler.open)
    assert "RequestInfoSocketHandler._waiters[kernel_id] = self" in opened, "upstream.request_socket: waiters elsewhere"
    assert "self.write_message(self._cache[kernel_id])" in opened, "upstream.request_socket: a kept request elsewhere"
    assert "waiter = cls._waiters.get(kernel_id, None)" in source(voilas_send_updates().__func__)
    assert upstream.waiting_kernels(RequestInfoSocketHandler) == set(RequestInfoSocketHandler._waiters)


def test_request_of_warm_kernel_speaks_voilas_wait_for_request():
    from voila.app import Voila
    from voila.utils import _get_request_info, wait_for_request

    waiting = source(wait_for_request)
    for part in (
        'server_ip = os.getenv(ENV_VARIABLE.VOILA_APP_IP, "127.0.0.1")',
        'server_port = os.getenv(ENV_VARIABLE.VOILA_APP_PORT, "8866")',
        "ws_base_url = os.getenv(ENV_VARIABLE.VOILA_WS_BASE_URL, server_url)",
        'url = f"{protocol}://{server_ip}:{server_port}{ws_base_url}voila/query"',
        "kernel_id = os.getenv(ENV_VARIABLE.VOILA_KERNEL_ID)",
        'ws_url = f"{url}/{kernel_id}"',
        "for k, v in json.loads(request_info).items(): os.environ[k] = v",
    ):
        assert part in waiting, f"upstream.request_of_warm_kernel: Voilà's wait_for_request changed: {part}"
    assert "ri = await websocket.recv()" in source(_get_request_info), (
        "upstream.request_of_warm_kernel: not one message"
    )
    assert 'r"/voila/query/%s" % _kernel_id_regex' in source(Voila.init_handlers)


def test_compile_templates_once_finds_the_loaders_of_every_environment_an_exporter_makes():
    from nbconvert.exporters.templateexporter import TemplateExporter

    made = source(TemplateExporter._create_environment)
    assert "environment = Environment(loader=ChoiceLoader(loaders)," in made, (
        "upstream.compile_templates_once: nbconvert no longer puts its loaders in one ChoiceLoader"
    )
    assert "return environment" in made
    # The loader goes first in every environment made after the patch, once however often it is applied.
    exporter = type("Exporter", (TemplateExporter,), {})
    loader = object()
    upstream.compile_templates_once(exporter, loader)
    upstream.compile_templates_once(exporter, loader)
    loaders = exporter()._create_environment().loader.loaders
    assert loaders[0] is loader and loader not in loaders[1:]


PATCHES = [name for name, value in vars(upstream).items() if inspect.getmodule(value) is upstream]


@pytest.mark.parametrize("name", PATCHES)
def test_every_patch_has_a_contract_here(name):
    assert f"upstream.{name}" in inspect.getsource(inspect.getmodule(test_every_patch_has_a_contract_here))
